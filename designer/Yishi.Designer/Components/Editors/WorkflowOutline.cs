using System.Text.Json;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Components.Editors;

/// <summary>Something a condition can test: a declared variable or what an earlier activity left behind.</summary>
/// <param name="Name">What the expression reads, e.g. <c>riskLevel</c> or <c>activities.review.outcome</c>.</param>
/// <param name="Type">The variable type (<c>string</c>, <c>number</c>, <c>boolean</c>, <c>array</c>…), or null when unknown.</param>
/// <param name="Label">What a person calls it.</param>
/// <param name="Options">The values it can take, when they are known (a task's outcomes, a choice's options).</param>
public sealed record ConditionVariable(string Name, string? Type, string Label, IReadOnlyList<string> Options);

/// <summary>What the properties panel needs to know about the rest of the workflow: its variables and the activities before one.</summary>
public static class WorkflowOutline
{
    /// <summary>The staff roles a task or a message can go to.</summary>
    public static readonly IReadOnlyList<string> StaffRoles = ["mediator", "supervisor", "reviewer", "officer", "admin", "designer"];

    /// <summary>The ids of the workflow's activities of <paramref name="type"/>.</summary>
    public static IReadOnlyList<string> ActivitiesOfType(JsonObject? definition, string type) =>
        [.. (definition?["activities"] as JsonArray ?? []).OfType<JsonObject>().Where(a => Text(a["type"]) == type).Select(a => Text(a["id"])).OfType<string>()];

    /// <summary>The declared variables' names.</summary>
    public static IReadOnlyList<string> DeclaredVariables(JsonObject? definition) =>
        [.. (definition?["variables"] as JsonArray ?? []).OfType<JsonObject>().Select(v => Text(v["name"])).OfType<string>()];

    /// <summary>An activity's properties, or null.</summary>
    public static JsonObject? Properties(JsonObject? definition, string activityId) =>
        (definition?["activities"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(a => Text(a["id"]) == activityId)?["properties"] as JsonObject;

    /// <summary>
    /// What a condition on <paramref name="activityId"/> can read: the declared variables, then for each human task that can
    /// run before it, its outcome and its form's fields (<c>activities.&lt;id&gt;.data.&lt;field&gt;</c>).
    /// </summary>
    public static IReadOnlyList<ConditionVariable> ConditionVariables(JsonObject? definition, string activityId, PageText text)
    {
        if (definition is null)
        {
            return [];
        }

        var variables = (definition["variables"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => Text(v["name"]) is not null)
            .Select(v => new ConditionVariable(Text(v["name"])!, Text(v["type"]), Text(v["name"])!, []))
            .ToList();
        var activities = (definition["activities"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(a => Text(a["id"]) ?? "", StringComparer.Ordinal);
        foreach (var id in Before(definition, activityId))
        {
            if (activities.GetValueOrDefault(id) is not { } activity || Text(activity["type"]) != "HumanTask")
            {
                continue;
            }

            var name = activity["displayName"] is JsonObject names ? Text(names[text.Locale]) ?? Text(names[PageText.Chinese]) ?? id : id;
            var properties = activity["properties"] as JsonObject;
            var outcomes = (properties?["outcomes"] as JsonArray ?? []).Select(Text).OfType<string>().ToList();
            variables.Add(new ConditionVariable($"activities.{id}.outcome", "string", text.T($"{name} · 办理结果", $"{name} · outcome"), outcomes));
            foreach (var field in FormFieldJson.Fields(properties?["form"]).Where(f => FormFieldJson.IsIdentifier(FormFieldJson.Name(f))))
            {
                var type = FormFieldJson.Type(field) switch { "number" => "number", "boolean" => "boolean", _ => "string" };
                var label = FormFieldJson.Label(field, text.Locale) is { Length: > 0 } l ? l : FormFieldJson.Name(field);
                variables.Add(new ConditionVariable($"activities.{id}.data.{FormFieldJson.Name(field)}", type, $"{name} · {label}", FormFieldJson.Options(field)));
            }
        }

        return variables;
    }

    /// <summary>The activities from which a path of connections leads to <paramref name="activityId"/>, nearest first.</summary>
    public static IReadOnlyList<string> Before(JsonObject definition, string activityId)
    {
        var incoming = (definition["connections"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(c => Text(c["from"]) is not null && Text(c["to"]) is not null)
            .ToLookup(c => Text(c["to"])!, c => Text(c["from"])!, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal) { activityId };
        var order = new List<string>();
        var queue = new Queue<string>([activityId]);
        while (queue.TryDequeue(out var at))
        {
            foreach (var from in incoming[at])
            {
                if (seen.Add(from))
                {
                    order.Add(from);
                    queue.Enqueue(from);
                }
            }
        }

        return order;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
