using System.Text.Json.Nodes;

namespace Yishi.Designer.Canvas;

/// <summary>
/// What changed between two versions of a workflow, activity by activity (matched by id) and connection by connection:
/// what the versions page draws on the canvas instead of a text diff of the JSON.
/// </summary>
public sealed record DefinitionDiff(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Changed,
    IReadOnlyList<string> AddedConnections,
    IReadOnlyList<string> RemovedConnections)
{
    public bool IsEmpty => Added.Count + Removed.Count + Changed.Count + AddedConnections.Count + RemovedConnections.Count == 0;

    /// <summary>Compares <paramref name="older"/> with <paramref name="newer"/>; moving an activity on the canvas is not a change.</summary>
    public static DefinitionDiff Compare(JsonObject older, JsonObject newer)
    {
        var before = Activities(older);
        var after = Activities(newer);
        var changed = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (id, activity) in after)
        {
            if (before.TryGetValue(id, out var earlier) && Differences(earlier, activity) is { Count: > 0 } fields)
            {
                changed[id] = fields;
            }
        }

        var connectionsBefore = Connections(older);
        var connectionsAfter = Connections(newer);
        return new DefinitionDiff(
            [.. after.Keys.Where(id => !before.ContainsKey(id))],
            [.. before.Keys.Where(id => !after.ContainsKey(id))],
            changed,
            [.. connectionsAfter.Where(c => !connectionsBefore.Contains(c))],
            [.. connectionsBefore.Where(c => !connectionsAfter.Contains(c))]);
    }

    /// <summary>The names that differ: <c>type</c>, <c>displayName</c>, or the property's name.</summary>
    private static List<string> Differences(JsonObject earlier, JsonObject later)
    {
        var fields = new List<string>();
        foreach (var field in new[] { "type", "displayName" })
        {
            if (!JsonNode.DeepEquals(earlier[field], later[field]))
            {
                fields.Add(field);
            }
        }

        var before = earlier["properties"] as JsonObject ?? [];
        var after = later["properties"] as JsonObject ?? [];
        fields.AddRange(before.Select(p => p.Key).Union(after.Select(p => p.Key), StringComparer.Ordinal)
            .Where(name => !JsonNode.DeepEquals(before[name], after[name])).Order(StringComparer.Ordinal));
        return fields;
    }

    private static Dictionary<string, JsonObject> Activities(JsonObject definition) =>
        (definition["activities"] as JsonArray ?? []).OfType<JsonObject>().Where(a => a["id"] is not null)
            .ToDictionary(a => a["id"]!.GetValue<string>(), StringComparer.Ordinal);

    private static HashSet<string> Connections(JsonObject definition) =>
        [.. (definition["connections"] as JsonArray ?? []).OfType<JsonObject>().Select(WorkflowDocument.KeyOf)];
}
