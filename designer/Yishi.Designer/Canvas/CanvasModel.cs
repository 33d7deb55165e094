using System.Text.Json.Nodes;
using Yishi.Designer.Api;

namespace Yishi.Designer.Canvas;

/// <summary>An activity as canvas.js draws it, with the marks that colour it.</summary>
public sealed record CanvasNode(string Id, string Label, string Sub, double X, double Y, IReadOnlyList<string> Outcomes)
{
    public bool Error { get; init; }

    public bool Warning { get; init; }

    /// <summary>On the path a case or rehearsal took.</summary>
    public bool Active { get; init; }

    /// <summary>Where a case or rehearsal waits now.</summary>
    public bool Current { get; init; }

    /// <summary>added, removed or changed, in a comparison of two versions.</summary>
    public string? Diff { get; init; }
}

/// <summary>A connection as canvas.js draws it: from an outcome port to an activity.</summary>
public sealed record CanvasEdge(string Key, string From, string Outcome, string To)
{
    public bool Active { get; init; }

    public string? Diff { get; init; }
}

/// <summary>What canvas.js's <c>render</c> takes.</summary>
public sealed record CanvasModel(IReadOnlyList<CanvasNode> Nodes, IReadOnlyList<CanvasEdge> Edges, IReadOnlyList<string> Selected)
{
    /// <summary>
    /// A definition's activities and connections as the canvas draws them: each activity by its name in
    /// <paramref name="locale"/> with its outcome ports, where the layout puts it. The editor, the version comparison
    /// and the instance viewer all draw through this, so an activity looks the same on each.
    /// </summary>
    public static CanvasModel Of(JsonObject definition, IReadOnlyList<ActivityType> types, string locale)
    {
        var layout = definition["layout"] as JsonObject;
        var activities = definition["activities"] as JsonArray ?? [];
        if (activities.OfType<JsonObject>().Any(a => layout?[a["id"]!.GetValue<string>()] is null))
        {
            // Drawn as the editor would open it: the missing positions laid out by step.
            layout = layout?.DeepClone().AsObject() ?? [];
            foreach (var (id, (x, y)) in WorkflowDocument.Layered(activities, definition["connections"] as JsonArray ?? []).Where(p => layout[p.Key] is null))
            {
                layout[id] = new JsonObject { ["x"] = x, ["y"] = y };
            }
        }

        var nodes = activities.OfType<JsonObject>().Select((a, i) => NodeOf(a, i, layout, types, locale)).ToList();
        var edges = (definition["connections"] as JsonArray ?? []).OfType<JsonObject>().Select(EdgeOf).ToList();
        return new CanvasModel(nodes, edges, []);
    }

    /// <summary>One activity where <paramref name="layout"/> puts it (in a row by its position otherwise).</summary>
    public static CanvasNode NodeOf(JsonObject activity, int index, JsonObject? layout, IReadOnlyList<ActivityType> types, string locale)
    {
        var id = activity["id"]!.GetValue<string>();
        var type = types.FirstOrDefault(t => t.Type == activity["type"]?.GetValue<string>());
        var at = layout?[id];
        return new CanvasNode(id,
            DisplayName(activity, locale) ?? DisplayName(activity, "zh-CN") ?? Text(activity["properties"]?["title"], locale) ?? Text(activity["properties"]?["topic"], locale)
                ?? type?.DisplayName.Get(locale) ?? activity["type"]?.GetValue<string>() ?? "?",
            $"{id} · {activity["type"]}",
            JsonNumbers.Read(at?["x"]) ?? 40 + (index * 200),
            JsonNumbers.Read(at?["y"]) ?? 260,
            type?.Type is "End" ? [] : WorkflowDocument.Outcomes(activity, type));
    }

    /// <summary>How the canvas names an activity of <paramref name="definition"/>; its id when there is no such activity.</summary>
    public static string LabelOf(JsonObject? definition, string activityId, IReadOnlyList<ActivityType> types, string locale) =>
        (definition?["activities"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(a => a["id"]?.GetValue<string>() == activityId) is { } activity
            ? NodeOf(activity, 0, null, types, locale).Label
            : activityId;

    public static CanvasEdge EdgeOf(JsonObject connection) =>
        new(WorkflowDocument.KeyOf(connection), connection["from"]!.GetValue<string>(), WorkflowDocument.OutcomeOf(connection), connection["to"]!.GetValue<string>());

    /// <summary>An activity's own name in <paramref name="locale"/>, if it was given one.</summary>
    public static string? DisplayName(JsonObject activity, string locale) => activity["displayName"] switch
    {
        JsonObject names => names[locale]?.GetValue<string>(),
        JsonValue name when locale == "zh-CN" => name.GetValue<string>(),
        _ => null,
    };

    /// <summary>A task's title or a consultation's topic as a name, when the activity has no name of its own.</summary>
    private static string? Text(JsonNode? text, string locale) => text switch
    {
        JsonObject names => names[locale]?.GetValue<string>() ?? names["zh-CN"]?.GetValue<string>(),
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String => value.GetValue<string>(),
        _ => null,
    };

    /// <summary>The model with the path a case took lit and the places it waits marked.</summary>
    public CanvasModel Lit(RunPath path) => this with
    {
        Nodes = [.. Nodes.Select(n => n with { Active = path.Visited.Contains(n.Id), Current = path.Current.Contains(n.Id) })],
        Edges = [.. Edges.Select(e => e with { Active = path.Taken.Contains(e.Key) })],
    };
}
