using System.Text.Json;

namespace Yishi.Engine.Tests.Fuzzing;

/// <summary>
/// Random workflow definitions: mostly well-formed (so they reach validation and the runtime), with a share of
/// wrong types, missing properties and odd values. Deterministic for a given <see cref="Random"/>.
/// </summary>
public sealed class RandomDefinitions(Random random)
{
    private static readonly string[] Types = ["End", "HumanTask", "Decision", "Fork", "Join", "SetVariable", "Delay", "Until", "WaitForMessage", "SubWorkflow"];
    private static readonly string[] VariableTypes = ["string", "number", "boolean", "datetime", "object", "array", "any", "money", "7"];
    private static readonly string[] DefinitionIds = ["fuzz", "fuzz-child", "missing", "fuzz"];

    /// <summary>JSON values that stress property readers (as JSON text).</summary>
    public static readonly string[] OddValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "1e400", "-0", "\"\"", "\" \"", "\"x\"", "\"调解\"", "\"\\u0000\"", "[]", "{}", "[1, \"a\"]", "[\"a\", \"a\"]",
        "{\"role\": \"\"}", "{\"user\": 5}", "{\"expression\": \"1 +\"}", "{\"workingDays\": 0}", "{\"workingDays\": 99999}", "{\"days\": 1.5}", "\"P0D\"", "\"PT\"",
        "\"P99999W\"", "\"P1Y\"", "[{\"name\": \"f\", \"type\": \"choice\"}]", "[{\"name\": \"\"}]", "[{\"name\": \"a\"}, {\"name\": \"a\"}]",
        "{\"x\": 1}", "{\"x\": \"1 +\"}", "\"" + new string('a', 300) + "\"", new string('[', 70) + new string(']', 70),
    ];

    public string Next(string definitionId = "fuzz")
    {
        var variables = Enumerable.Range(0, random.Next(0, 4)).Select(i => $"v{i}").ToList();
        var activities = new List<(string Id, string Type, string[] Outcomes, string Json)>
        {
            ("start", "Start", ["done"], """{ "id": "start", "type": "Start" }"""),
        };
        var count = random.Next(1, 9);
        for (var i = 0; i < count; i++)
        {
            activities.Add(Activity($"a{i}", Pick(Types), variables));
        }

        // A chain through every activity keeps most of them reachable; the other outcomes go anywhere (or nowhere).
        var connections = new List<string>();
        var connected = new HashSet<(string, string)>();
        for (var i = 1; i < activities.Count; i++)
        {
            var from = activities.Take(i).Where(a => a.Outcomes.Length > 0).ToList();
            if (from.Count > 0 && Chance(0.97))
            {
                var source = from[^1].Outcomes.Any(o => !connected.Contains((from[^1].Id, o))) ? from[^1] : Pick(from);
                var outcome = source.Outcomes.FirstOrDefault(o => !connected.Contains((source.Id, o))) ?? Pick(source.Outcomes);
                connected.Add((source.Id, outcome));
                connections.Add(Connection(source.Id, outcome, activities[i].Id));
            }
        }

        foreach (var (id, _, outcomes, _) in activities)
        {
            foreach (var outcome in outcomes.Where(o => !connected.Contains((id, o))))
            {
                var fanOut = random.NextDouble() < 0.8 ? 1 : random.Next(0, 3);
                for (var f = 0; f < fanOut; f++)
                {
                    connections.Add(Connection(id, outcome, Chance(0.02) ? "ghost" : activities[random.Next(1, activities.Count)].Id));
                }
            }
        }

        var declared = variables.Select(v => $$"""{ "name": "{{v}}", "type": "{{(Chance(0.95) ? Pick(VariableTypes[..7]) : Pick(VariableTypes))}}"{{(Chance(0.2) ? ", \"required\": true" : "")}}{{(Chance(0.2) ? ", \"default\": " + Value() : "")}} }""");
        return $$"""
            {
              "definitionId": "{{definitionId}}",
              "name": "Fuzz",
              "variables": [ {{string.Join(", ", declared)}} ],
              "activities": [
                {{string.Join(",\n    ", activities.Select(a => a.Json))}}
              ],
              "connections": [
                {{string.Join(",\n    ", connections)}}
              ]
            }
            """;
    }

    private string Connection(string from, string outcome, string to) => outcome == "done" && Chance(0.5)
        ? $$"""{ "from": "{{from}}", "to": "{{to}}" }"""
        : $$"""{ "from": "{{from}}", "outcome": "{{outcome}}", "to": "{{to}}" }""";

    private (string Id, string Type, string[] Outcomes, string Json) Activity(string id, string type, List<string> variables)
    {
        string[] outcomes;
        string properties;
        switch (type)
        {
            case "End":
                outcomes = [];
                properties = Chance(0.5) ? $$"""{ "result": {{Expression(variables)}} }""" : "{}";
                break;
            case "HumanTask":
                outcomes = [.. Enumerable.Range(0, random.Next(1, 4)).Select(i => i == 0 && Chance(0.3) ? "done" : $"o{i}")];
                var assignee = random.Next(4) switch
                {
                    0 => """{ "user": "u-1" }""",
                    1 => $$"""{ "expression": {{Expression(variables)}} }""",
                    _ => """{ "role": "clerk" }""",
                };
                var form = Chance(0.4)
                    ? $$""", "form": [ { "name": "f", "type": "{{Pick(["text", "number", "boolean", "date", "choice", "attachment"])}}", "options": ["a", "b"], "required": {{(Chance(0.5) ? "true" : "false")}}{{(variables.Count > 0 && Chance(0.5) ? $", \"variable\": \"{Pick(variables)}\"" : "")}} } ]"""
                    : "";
                var outcomesJson = outcomes is ["done"] && Chance(0.5) ? "" : $", \"outcomes\": [{string.Join(", ", outcomes.Select(o => $"\"{o}\""))}]";
                var due = Chance(0.3) ? $", \"due\": {Pick(["\"P2D\"", "{ \"workingDays\": 3 }", "{ \"workingHours\": 5 }"])}" : "";
                properties = $$"""{ "title": "Task {{id}}", "assignee": {{assignee}}{{outcomesJson}}{{form}}{{due}} }""";
                break;
            case "Decision":
                outcomes = ["true", "false"];
                properties = $$"""{ "condition": {{Expression(variables)}} }""";
                break;
            case "Fork":
                outcomes = [.. Enumerable.Range(0, Chance(0.05) ? 1 : random.Next(2, 4)).Select(i => $"b{i}")];
                properties = $$"""{ "branches": [{{string.Join(", ", outcomes.Select(o => $"\"{o}\""))}}] }""";
                break;
            case "Join":
                outcomes = ["done"];
                properties = Chance(0.5) ? """{ "mode": "any" }""" : """{ "mode": "all" }""";
                break;
            case "SetVariable":
                outcomes = ["done"];
                properties = $$"""{ "variable": "{{(variables.Count > 0 && Chance(0.9) ? Pick(variables) : "undeclared")}}", "value": {{Expression(variables)}} }""";
                break;
            case "Delay":
                outcomes = ["done"];
                properties = $$"""{ "duration": {{Pick(["\"PT1H\"", "\"P3D\"", "{ \"workingDays\": 2 }", "{ \"minutes\": 5 }"])}} }""";
                break;
            case "Until":
                outcomes = ["done"];
                properties = $$"""{ "at": {{Pick(["\"date.add_days now 1\"", "\"now\"", "\"'2020-01-01'\"", "\"'not a time'\""])}} }""";
                break;
            case "WaitForMessage":
                outcomes = ["done"];
                properties = Chance(0.5)
                    ? """{ "message": "m" }"""
                    : $$"""{ "message": "m", "correlationKey": {{Expression(variables)}}{{(variables.Count > 0 ? $", \"variable\": \"{Pick(variables)}\"" : "")}} }""";
                break;
            default:
                outcomes = ["done", "cancelled"];
                properties = $$"""{ "definitionId": "{{Pick(DefinitionIds)}}", "input": { "v0": {{Expression(variables)}} }{{(variables.Count > 0 ? $", \"resultVariable\": \"{Pick(variables)}\"" : "")}} }""";
                break;
        }

        if (Chance(0.05))
        {
            // A property value of the wrong kind, an unknown property or an unknown type.
            properties = random.Next(3) switch
            {
                0 => properties.Length > 2 ? properties[..^1].TrimEnd() + $", \"extra\": {Value()} }}" : properties,
                1 => "{}",
                _ => $$"""{ "title": {{Value()}}, "condition": {{Value()}}, "duration": {{Value()}}, "assignee": {{Value()}}, "branches": {{Value()}}, "form": {{Value()}} }""",
            };
        }

        var typeJson = Chance(0.02) ? "Teleport" : type;
        return (id, type, outcomes, $$"""{ "id": "{{id}}", "type": "{{typeJson}}", "properties": {{properties}} }""");
    }

    public string Expression(List<string> variables)
    {
        var variable = variables.Count > 0 ? Pick(variables) : "input";
        var text = random.Next(24) switch
        {
            0 or 1 => "true",
            2 or 3 => "false",
            4 => $"{variable} == null",
            5 or 6 => $"{variable} > 3",
            7 => "\"text\"",
            8 => "42",
            9 or 10 => $"{variable} + 1",
            11 => "activities.a0.outcome == \"o1\"",
            12 => "instance.correlation_key",
            13 => "now",
            14 => "undeclaredName",
            15 => "1 +",
            16 => "[1, 2] | array.size",
            17 => "{ a: 1 }",
            18 => $"{variable} | string.size",
            19 => "input.v0",
            20 => $"{variable} != null && {variable}",
            21 => "null",
            _ => RandomExpressions.Soup(random, random.Next(1, 12)),
        };
        return JsonSerializer.Serialize(text);
    }

    public string Value() => Pick(OddValues);

    /// <summary>A random start input or form data: declared names and others, values of any kind.</summary>
    public string Input()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var count = random.Next(0, 4);
        for (var i = 0; i < count; i++)
        {
            names.Add(Chance(0.8) ? $"v{random.Next(0, 3)}" : Pick(["f", "unknown", "v9"]));
        }

        return "{" + string.Join(", ", names.Select(name =>
            $"\"{name}\": {Pick(["1", "\"x\"", "true", "null", "[]", "{}", "\"2025-03-07\"", "2.5", "\"a\""])}")) + "}";
    }

    private bool Chance(double probability) => random.NextDouble() < probability;

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
