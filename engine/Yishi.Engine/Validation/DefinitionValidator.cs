using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Activities;
using Yishi.Engine.Definitions;
using Yishi.Engine.Expressions;
using Yishi.Engine.Time;

namespace Yishi.Engine.Validation;

/// <summary>
/// Checks what a definition means: known activity types, required and well-formed properties, expressions,
/// connections, reachability, and (as warnings) unconnected outcomes and busy loops. Returns every problem,
/// each located by activity, property, JSON pointer and — when the source is known — line and column.
/// </summary>
public sealed class DefinitionValidator(ActivityRegistry registry, ExpressionEngine expressions)
{
    /// <summary>Validates a definition; <paramref name="sourceMap"/> adds line and column to problems.</summary>
    public ImmutableArray<ValidationProblem> Validate(WorkflowDefinition definition, SourceMap? sourceMap = null)
    {
        var problems = new List<ValidationProblem>();
        SourcePosition? Locate(string? pointer) => sourceMap?.Find(pointer);
        void Add(ValidationProblem problem, string pointer) => problems.Add(problem with { Path = pointer, Position = Locate(pointer) });

        var variables = CheckVariables(definition, Add);
        var activityIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Activities.Length; i++)
        {
            var activity = definition.Activities[i];
            var pointer = $"/activities/{i}";
            if (!activityIndex.TryAdd(activity.Id, i))
            {
                Add(ValidationProblem.Error(ProblemCodes.DuplicateActivity, $"Two activities have the id '{activity.Id}'; ids must be unique.") with { ActivityId = activity.Id }, pointer + "/id");
                continue;
            }

            var implementation = registry.Find(activity.Type);
            if (implementation is null)
            {
                Add(ValidationProblem.Error(ProblemCodes.UnknownActivityType,
                    $"'{DefinitionParser.Truncate(activity.Type)}' is not a known activity type. Known types: {string.Join(", ", registry.Descriptors.Select(d => d.Type))}.") with { ActivityId = activity.Id }, pointer + "/type");
                continue;
            }

            var context = new ActivityValidationContext(definition, activity, i, expressions, variables, problems, Locate);
            CheckProperties(implementation.Descriptor, context);
            implementation.Validate(context);
        }

        var starts = definition.Activities.Where(a => registry.Find(a.Type)?.Descriptor.CanStartWorkflow == true).ToList();
        if (starts.Count == 0)
        {
            Add(ValidationProblem.Error(ProblemCodes.NoStart, "The workflow has no Start activity."), "/activities");
        }
        else if (starts.Count > 1)
        {
            foreach (var extra in starts.Skip(1))
            {
                Add(ValidationProblem.Error(ProblemCodes.MultipleStarts, "A workflow has exactly one Start activity.") with { ActivityId = extra.Id }, $"/activities/{activityIndex[extra.Id]}");
            }
        }

        CheckConnections(definition, activityIndex, Add);
        if (starts.Count > 0)
        {
            CheckReachability(definition, starts[0].Id, activityIndex, Add);
        }

        CheckCyclesWithoutWait(definition, activityIndex, Add);
        return [.. problems];
    }

    /// <summary>Words Scriban reads as syntax: a variable with such a name could not be used in an expression.</summary>
    private static readonly HashSet<string> ScribanKeywords = new(StringComparer.Ordinal)
    {
        "if", "else", "end", "for", "in", "while", "func", "ret", "case", "when", "break", "continue", "do", "capture", "readonly", "import",
        "with", "wrap", "include", "tablerow", "true", "false", "null", "empty", "this", "raw", "comment", "endcomment", "endraw",
    };

    private static ImmutableHashSet<string> CheckVariables(WorkflowDefinition definition, Action<ValidationProblem, string> add)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Variables.Length; i++)
        {
            var variable = definition.Variables[i];
            if (!names.Add(variable.Name))
            {
                add(ValidationProblem.Error(ProblemCodes.DuplicateVariable, $"The variable '{variable.Name}' is declared twice."), $"/variables/{i}/name");
            }
            else if (ExpressionScope.ReservedNames.Contains(variable.Name) || ScribanKeywords.Contains(variable.Name))
            {
                add(ValidationProblem.Error(ProblemCodes.InvalidVariableName, $"'{variable.Name}' is reserved in expressions; choose another name."), $"/variables/{i}/name");
            }

            if (variable.Default is { ValueKind: not JsonValueKind.Null } value && !variable.Accepts(JsonNode.Parse(value.GetRawText())!))
            {
                add(ValidationProblem.Error(ProblemCodes.InvalidDefault, $"The default of '{variable.Name}' is not of type {variable.Type.ToString().ToLowerInvariant()}."), $"/variables/{i}/default");
            }
        }

        return names.ToImmutable();
    }

    private static void CheckProperties(ActivityDescriptor descriptor, ActivityValidationContext context)
    {
        var declared = descriptor.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (name, _) in context.Activity.Properties)
        {
            if (!declared.ContainsKey(name))
            {
                context.Report(ProblemSeverity.Warning, ProblemCodes.UnknownField, $"'{descriptor.Type}' has no property '{name}'; it is ignored.", name);
            }
        }

        foreach (var property in descriptor.Properties)
        {
            if (context.Activity.Property(property.Name) is not { } value)
            {
                if (property.Required && property.DefaultJson is null)
                {
                    // Named, so the designer can point at the empty field; the position falls back to the nearest part that exists.
                    context.Error(ProblemCodes.MissingProperty, $"'{property.Name}' is required for {descriptor.Type}.", property.Name);
                }

                continue;
            }

            if (CheckKind(property, value, context) is { } message)
            {
                context.Error(ProblemCodes.InvalidProperty, message, property.Name);
            }
        }
    }

    private static string? CheckKind(PropertyDescriptor property, JsonElement value, ActivityValidationContext context)
    {
        string Must(string what) => $"'{property.Name}' must be {what}, not {DefinitionParser.Kind(value)}.";
        switch (property.Kind)
        {
            case PropertyKind.Text:
                return value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0 ? null : Must("non-empty text");
            case PropertyKind.LocalizedText:
                return value.ValueKind == JsonValueKind.String || (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String))
                    ? null
                    : Must("text or an object of texts by locale");
            case PropertyKind.Expression:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return Must("an expression (a string)");
                }

                context.CheckExpression(property.Name, value.GetString()!);
                return null;
            case PropertyKind.Duration:
                return WorkDuration.TryParse(value, out var error) is null ? error : null;
            case PropertyKind.Assignee:
                return value.ValueKind == JsonValueKind.Object ? null : Must("an object");
            case PropertyKind.ExpressionMap:
                return value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String)
                    ? null
                    : Must("an object whose values are expressions (strings)");
            case PropertyKind.FormFields:
                return value.ValueKind == JsonValueKind.Array ? null : Must("a list of fields");
            case PropertyKind.StringList:
                return value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0)
                    ? null
                    : Must("a list of non-empty names");
            case PropertyKind.Number:
                return value.ValueKind == JsonValueKind.Number ? null : Must("a number");
            case PropertyKind.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : Must("true or false");
            case PropertyKind.Choice:
                return value.ValueKind == JsonValueKind.String && property.Choices.Contains(value.GetString()!)
                    ? null
                    : $"'{property.Name}' must be one of: {string.Join(", ", property.Choices)}.";
            case PropertyKind.VariableName:
                return value.ValueKind == JsonValueKind.String && context.Variables.Contains(value.GetString()!)
                    ? null
                    : $"'{property.Name}' must name a declared variable ({(context.Variables.IsEmpty ? "none are declared" : string.Join(", ", context.Variables.Order(StringComparer.Ordinal)))}).";
            case PropertyKind.DefinitionId:
                return value.ValueKind == JsonValueKind.String && DefinitionParser.IdPattern().IsMatch(value.GetString()!) ? null : Must("a workflow id");
            default:
                return null;
        }
    }

    private void CheckConnections(WorkflowDefinition definition, Dictionary<string, int> activityIndex, Action<ValidationProblem, string> add)
    {
        var seen = new HashSet<(string, string, string)>();
        for (var i = 0; i < definition.Connections.Length; i++)
        {
            var connection = definition.Connections[i];
            var pointer = $"/connections/{i}";
            var fromKnown = activityIndex.TryGetValue(connection.From, out var fromIndex);
            if (!fromKnown)
            {
                add(ValidationProblem.Error(ProblemCodes.DanglingConnection, $"The connection starts at '{connection.From}', which is not an activity."), pointer + "/from");
            }

            if (!activityIndex.TryGetValue(connection.To, out var toIndex))
            {
                add(ValidationProblem.Error(ProblemCodes.DanglingConnection, $"The connection ends at '{connection.To}', which is not an activity."), pointer + "/to");
            }
            else if (registry.Find(definition.Activities[toIndex].Type)?.Descriptor.CanStartWorkflow == true)
            {
                add(ValidationProblem.Error(ProblemCodes.DanglingConnection, $"Nothing can lead into the Start activity '{connection.To}'.") with { ActivityId = connection.To }, pointer + "/to");
            }

            if (!seen.Add((connection.From, connection.Outcome, connection.To)))
            {
                add(ValidationProblem.Error(ProblemCodes.DuplicateConnection,
                    $"'{connection.From}' is connected to '{connection.To}' by '{connection.Outcome}' twice.") with { ActivityId = connection.From }, pointer);
            }

            if (fromKnown && registry.Find(definition.Activities[fromIndex].Type) is { } source)
            {
                var outcomes = source.GetOutcomes(definition.Activities[fromIndex]);
                if (!outcomes.Contains(connection.Outcome))
                {
                    add(ValidationProblem.Error(ProblemCodes.UnknownOutcome, outcomes.IsEmpty
                        ? $"'{connection.From}' ({source.Descriptor.Type}) has no outcomes to connect."
                        : $"'{connection.From}' has no outcome '{connection.Outcome}'; its outcomes are: {string.Join(", ", outcomes)}.") with { ActivityId = connection.From }, pointer + (connection.Outcome == ConnectionDefinition.DefaultOutcome ? "" : "/outcome"));
                }
            }
        }

        // Outcomes that lead nowhere end their branch; usually a forgotten connection, so only a warning.
        for (var i = 0; i < definition.Activities.Length; i++)
        {
            var activity = definition.Activities[i];
            if (activityIndex[activity.Id] != i || registry.Find(activity.Type) is not { } implementation)
            {
                continue;
            }

            foreach (var outcome in implementation.GetOutcomes(activity))
            {
                if (!definition.Connections.Any(c => c.From == activity.Id && c.Outcome == outcome))
                {
                    add(ValidationProblem.Warning(ProblemCodes.UnconnectedOutcome,
                        $"The outcome '{outcome}' of '{activity.Id}' is not connected; a token leaving by it ends its branch.") with { ActivityId = activity.Id }, $"/activities/{i}");
                }
            }
        }
    }

    private static void CheckReachability(WorkflowDefinition definition, string startId, Dictionary<string, int> activityIndex, Action<ValidationProblem, string> add)
    {
        var next = definition.Connections.GroupBy(c => c.From, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(c => c.To).ToList(), StringComparer.Ordinal);
        var reached = new HashSet<string>(StringComparer.Ordinal) { startId };
        var queue = new Queue<string>([startId]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var to in next.GetValueOrDefault(current, []))
            {
                if (reached.Add(to))
                {
                    queue.Enqueue(to);
                }
            }
        }

        foreach (var (id, index) in activityIndex.OrderBy(p => p.Value))
        {
            if (!reached.Contains(id))
            {
                add(ValidationProblem.Error(ProblemCodes.Unreachable, $"'{id}' cannot be reached from the Start activity.") with { ActivityId = id }, $"/activities/{index}");
            }
        }
    }

    /// <summary>Warns about loops in which no activity waits: they can only end by the step budget.</summary>
    private void CheckCyclesWithoutWait(WorkflowDefinition definition, Dictionary<string, int> activityIndex, Action<ValidationProblem, string> add)
    {
        // Keep only activities that never wait, then find cycles among them (Tarjan's strongly connected components).
        var busy = activityIndex.Where(pair => registry.Find(definition.Activities[pair.Value].Type) is { Descriptor.Waits: false }).Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal);
        var next = definition.Connections.Where(c => busy.Contains(c.From) && busy.Contains(c.To))
            .GroupBy(c => c.From, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(c => c.To).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        foreach (var component in StronglyConnected(busy, next))
        {
            var first = component.OrderBy(id => activityIndex[id]).First();
            var isCycle = component.Count > 1 || next.GetValueOrDefault(first, []).Contains(first);
            if (isCycle)
            {
                add(ValidationProblem.Warning(ProblemCodes.CycleWithoutWait,
                    $"The loop through {string.Join(" → ", component.OrderBy(id => activityIndex[id]))} has no activity that waits; it can only be stopped by the step budget.") with { ActivityId = first },
                    $"/activities/{activityIndex[first].ToString(CultureInfo.InvariantCulture)}");
            }
        }
    }

    private static List<List<string>> StronglyConnected(IEnumerable<string> nodes, Dictionary<string, List<string>> next)
    {
        var index = 0;
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLinks = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<List<string>>();

        // Iterative to stay safe on a definition with a thousand activities in a chain.
        foreach (var root in nodes.Order(StringComparer.Ordinal))
        {
            if (indexes.ContainsKey(root))
            {
                continue;
            }

            var work = new Stack<(string Node, int Child)>();
            work.Push((root, 0));
            indexes[root] = lowLinks[root] = index++;
            stack.Push(root);
            onStack.Add(root);
            while (work.Count > 0)
            {
                var (node, child) = work.Pop();
                var successors = next.GetValueOrDefault(node, []);
                if (child < successors.Count)
                {
                    work.Push((node, child + 1));
                    var successor = successors[child];
                    if (!indexes.TryGetValue(successor, out var successorIndex))
                    {
                        indexes[successor] = lowLinks[successor] = index++;
                        stack.Push(successor);
                        onStack.Add(successor);
                        work.Push((successor, 0));
                    }
                    else if (onStack.Contains(successor))
                    {
                        lowLinks[node] = Math.Min(lowLinks[node], successorIndex);
                    }

                    continue;
                }

                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    lowLinks[parent] = Math.Min(lowLinks[parent], lowLinks[node]);
                }

                if (lowLinks[node] == indexes[node])
                {
                    var component = new List<string>();
                    string member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (member != node);
                    result.Add(component);
                }
            }
        }

        return result;
    }
}
