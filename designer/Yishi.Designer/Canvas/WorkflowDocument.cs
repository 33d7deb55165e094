using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Designer.Api;

namespace Yishi.Designer.Canvas;

/// <summary>
/// The definition being edited, as the JSON document the API stores, with every change undoable. The canvas, the palette
/// and the properties panel all change it through here; the browser only draws it and reports gestures.
/// </summary>
public sealed class WorkflowDocument
{
    /// <summary>Undo keeps this many steps; older ones are dropped.</summary>
    public const int HistoryLimit = 200;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly LinkedList<string> _undo = new();
    private readonly Stack<string> _redo = new();
    private JsonObject _root;

    public WorkflowDocument(JsonObject definition)
    {
        _root = (JsonObject)definition.DeepClone();
        _root["activities"] ??= new JsonArray();
        _root["connections"] ??= new JsonArray();
        _root["layout"] ??= new JsonObject();
        // A file without positions (shipped, imported) opens laid out instead of in one long row; not a change to save.
        if (Activities.OfType<JsonObject>().Any(a => Layout[a["id"]!.GetValue<string>()] is null))
        {
            foreach (var (id, (x, y)) in Layered(Activities, Connections).Where(p => Layout[p.Key] is null))
            {
                Layout[id] = Position(x, y);
            }
        }
    }

    /// <summary>Raised after every change, undo and redo included.</summary>
    public event Action? Changed;

    public JsonObject Root => _root;

    public string DefinitionId => _root["definitionId"]?.GetValue<string>() ?? "";

    public JsonArray Activities => (JsonArray)_root["activities"]!;

    public JsonArray Connections => (JsonArray)_root["connections"]!;

    public JsonObject Layout => (JsonObject)_root["layout"]!;

    public bool CanUndo => _undo.Count > 0;

    public bool CanRedo => _redo.Count > 0;

    /// <summary>Whether anything changed since the last save.</summary>
    public bool Dirty { get; private set; }

    public string ToJson() => _root.ToJsonString(Indented);

    public void MarkSaved() => Dirty = false;

    public JsonObject? Activity(string id) => Activities.OfType<JsonObject>().FirstOrDefault(a => a["id"]?.GetValue<string>() == id);

    /// <summary>Adds an activity of <paramref name="type"/> at a canvas position; answers its new id.</summary>
    public string Add(ActivityType type, double x, double y)
    {
        var id = FreeId(IdStem(type.Type));
        Change(() =>
        {
            var properties = new JsonObject();
            foreach (var property in type.Properties.Where(p => p.Required && p.DefaultJson is not null))
            {
                properties[property.Name] = JsonNode.Parse(property.DefaultJson!);
            }

            Activities.Add(new JsonObject { ["id"] = id, ["type"] = type.Type, ["properties"] = properties });
            Layout[id] = Position(x, y);
        });
        return id;
    }

    /// <summary>Moves activities to where they were dropped: one undo step for the whole drag.</summary>
    public void Move(IReadOnlyList<(string Id, double X, double Y)> moves)
    {
        Change(() =>
        {
            foreach (var (id, x, y) in moves.Where(m => Activity(m.Id) is not null))
            {
                Layout[id] = Position(x, y);
            }
        });
    }

    /// <summary>Connects an outcome of one activity to another; replaces an earlier connection of the same outcome.</summary>
    public void Connect(string from, string outcome, string to)
    {
        if (from == to || Activity(from) is null || Activity(to) is null)
        {
            return;
        }

        Change(() =>
        {
            foreach (var old in Connections.OfType<JsonObject>().Where(c => c["from"]?.GetValue<string>() == from && OutcomeOf(c) == outcome).ToList())
            {
                Connections.Remove(old);
            }

            var connection = new JsonObject { ["from"] = from, ["to"] = to };
            if (outcome != "done")
            {
                connection["outcome"] = outcome;
            }

            Connections.Add(connection);
        });
    }

    /// <summary>Removes activities with their connections and positions, and connections named as <c>from/outcome/to</c>.</summary>
    public void Delete(IReadOnlyCollection<string> activityIds, IReadOnlyCollection<string> connectionKeys)
    {
        if (activityIds.Count == 0 && connectionKeys.Count == 0)
        {
            return;
        }

        Change(() =>
        {
            foreach (var activity in Activities.OfType<JsonObject>().Where(a => activityIds.Contains(a["id"]!.GetValue<string>())).ToList())
            {
                Activities.Remove(activity);
            }

            foreach (var connection in Connections.OfType<JsonObject>()
                         .Where(c => activityIds.Contains(c["from"]!.GetValue<string>()) || activityIds.Contains(c["to"]!.GetValue<string>()) || connectionKeys.Contains(KeyOf(c)))
                         .ToList())
            {
                Connections.Remove(connection);
            }

            foreach (var id in activityIds)
            {
                Layout.Remove(id);
            }
        });
    }

    /// <summary>Copies activities (with the connections between them) for pasting.</summary>
    public string Copy(IReadOnlyCollection<string> activityIds)
    {
        var clip = new JsonObject
        {
            ["activities"] = new JsonArray([.. Activities.OfType<JsonObject>().Where(a => activityIds.Contains(a["id"]!.GetValue<string>())).Select(a => a.DeepClone())]),
            ["connections"] = new JsonArray([.. Connections.OfType<JsonObject>()
                .Where(c => activityIds.Contains(c["from"]!.GetValue<string>()) && activityIds.Contains(c["to"]!.GetValue<string>())).Select(c => c.DeepClone())]),
            ["layout"] = new JsonObject([.. activityIds.Where(Layout.ContainsKey).Select(id => KeyValuePair.Create(id, Layout[id]?.DeepClone()))]),
        };
        return clip.ToJsonString();
    }

    /// <summary>Pastes copied activities under new ids, offset so they do not hide the originals; answers the new ids.</summary>
    public IReadOnlyList<string> Paste(string clipboard)
    {
        if (JsonNode.Parse(clipboard) is not JsonObject clip || clip["activities"] is not JsonArray activities || activities.Count == 0)
        {
            return [];
        }

        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        Change(() =>
        {
            foreach (var activity in activities.OfType<JsonObject>())
            {
                var old = activity["id"]!.GetValue<string>();
                var id = FreeId(old);
                renamed[old] = id;
                var copy = (JsonObject)activity.DeepClone();
                copy["id"] = id;
                Activities.Add(copy);
                var at = clip["layout"]?[old];
                Layout[id] = Position((JsonNumbers.Read(at?["x"]) ?? 40) + 40, (JsonNumbers.Read(at?["y"]) ?? 40) + 40);
            }

            foreach (var connection in (clip["connections"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var copy = (JsonObject)connection.DeepClone();
                copy["from"] = renamed[connection["from"]!.GetValue<string>()];
                copy["to"] = renamed[connection["to"]!.GetValue<string>()];
                Connections.Add(copy);
            }
        });
        return [.. renamed.Values];
    }

    /// <summary>Sets (or, with null, removes) one property of an activity.</summary>
    public void SetProperty(string activityId, string property, JsonNode? value)
    {
        if (Activity(activityId) is not { } activity)
        {
            return;
        }

        Change(() =>
        {
            var properties = activity["properties"] as JsonObject ?? [];
            activity["properties"] = properties;
            if (value is null)
            {
                properties.Remove(property);
            }
            else
            {
                properties[property] = value.DeepClone();
            }
        });
    }

    /// <summary>Sets (or, with null, removes) a field of an activity beside its properties, e.g. its display name.</summary>
    public void SetActivityField(string activityId, string field, JsonNode? value)
    {
        if (Activity(activityId) is not { } activity)
        {
            return;
        }

        Change(() =>
        {
            if (value is null)
            {
                activity.Remove(field);
            }
            else
            {
                activity[field] = value.DeepClone();
            }
        });
    }

    /// <summary>Sets a top-level field of the document, e.g. its name.</summary>
    public void SetField(string field, JsonNode? value) => Change(() => _root[field] = value?.DeepClone());

    /// <summary>Lays the activities out left to right by their distance from the start, one column per step.</summary>
    public void AutoLayout() => Change(() =>
    {
        foreach (var (id, (x, y)) in Layered(Activities, Connections))
        {
            Layout[id] = Position(x, y);
        }
    });

    /// <summary>
    /// Positions by distance from the start, one column per step and one row per activity in it: how a definition
    /// without a layout (a shipped or imported file) is first drawn, and what auto-layout does.
    /// </summary>
    public static Dictionary<string, (double X, double Y)> Layered(JsonArray activities, JsonArray connections)
    {
        var ids = activities.OfType<JsonObject>().Select(a => a["id"]!.GetValue<string>()).ToList();
        var start = activities.OfType<JsonObject>().FirstOrDefault(a => a["type"]?.GetValue<string>() == "Start")?["id"]?.GetValue<string>() ?? ids.FirstOrDefault();
        var positions = new Dictionary<string, (double X, double Y)>(StringComparer.Ordinal);
        if (start is null)
        {
            return positions;
        }

        var next = connections.OfType<JsonObject>().ToLookup(c => c["from"]!.GetValue<string>(), c => c["to"]!.GetValue<string>(), StringComparer.Ordinal);
        var depth = new Dictionary<string, int>(StringComparer.Ordinal) { [start] = 0 };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var to in next[id].Where(to => !depth.ContainsKey(to)))
            {
                depth[to] = depth[id] + 1;
                queue.Enqueue(to);
            }
        }

        var unreached = depth.Count == 0 ? 0 : depth.Values.Max() + 1;
        foreach (var column in ids.GroupBy(id => depth.GetValueOrDefault(id, unreached)).OrderBy(g => g.Key))
        {
            var row = 0;
            foreach (var id in column)
            {
                positions[id] = (40 + (column.Key * 220), 40 + (row++ * 110));
            }
        }

        return positions;
    }

    public void Undo() => Step(_undo, toRedo: true);

    public void Redo()
    {
        if (_redo.TryPop(out var next))
        {
            Remember(_root.ToJsonString(), clearRedo: false);
            _root = (JsonObject)JsonNode.Parse(next)!;
            Dirty = true;
            Changed?.Invoke();
        }
    }

    /// <summary>The outcomes an activity leaves by: fixed by its type, or named by one of its properties (a task's outcomes, a fork's branches).</summary>
    public static IReadOnlyList<string> Outcomes(JsonObject activity, ActivityType? type)
    {
        if (type?.OutcomesProperty is { } property && activity["properties"]?[property] is JsonArray names)
        {
            return [.. names.Select(n => n?.GetValue<string>() ?? "").Where(n => n.Length > 0)];
        }

        return type?.FixedOutcomes ?? ["done"];
    }

    /// <summary><c>from/outcome/to</c>: how the canvas names a connection.</summary>
    public static string KeyOf(JsonObject connection) => $"{connection["from"]}/{OutcomeOf(connection)}/{connection["to"]}";

    public static string OutcomeOf(JsonObject connection) => connection["outcome"]?.GetValue<string>() ?? "done";

    private void Step(LinkedList<string> from, bool toRedo)
    {
        if (from.Last is not { } last)
        {
            return;
        }

        from.RemoveLast();
        if (toRedo)
        {
            _redo.Push(_root.ToJsonString());
        }

        _root = (JsonObject)JsonNode.Parse(last.Value)!;
        Dirty = true;
        Changed?.Invoke();
    }

    private void Change(Action change)
    {
        Remember(_root.ToJsonString(), clearRedo: true);
        change();
        Dirty = true;
        Changed?.Invoke();
    }

    private void Remember(string snapshot, bool clearRedo)
    {
        _undo.AddLast(snapshot);
        if (_undo.Count > HistoryLimit)
        {
            _undo.RemoveFirst();
        }

        if (clearRedo)
        {
            _redo.Clear();
        }
    }

    private string FreeId(string stem)
    {
        var taken = Activities.OfType<JsonObject>().Select(a => a["id"]?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        if (!taken.Contains(stem))
        {
            return stem;
        }

        for (var n = 2; ; n++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}");
            if (!taken.Contains(id))
            {
                return id;
            }
        }
    }

    /// <summary><c>HumanTask</c> → <c>human-task</c>: ids in the form the engine accepts.</summary>
    private static string IdStem(string type) =>
        string.Concat(type.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static JsonObject Position(double x, double y) => new() { ["x"] = Math.Round(x), ["y"] = Math.Round(y) };
}
