using System.Text.Json.Nodes;
using Yishi.Designer.Api;

namespace Yishi.Designer.Canvas;

/// <summary>
/// The way a case (or a rehearsal) went, read from its journal: the activities it reached, the connections it took
/// and where it waits now, so the canvas can light them.
/// </summary>
/// <param name="Visited">Activities that ran or were waited at.</param>
/// <param name="Taken">Connections (<c>from/outcome/to</c>) taken.</param>
/// <param name="Current">Activities the case waits at now.</param>
public sealed record RunPath(IReadOnlySet<string> Visited, IReadOnlySet<string> Taken, IReadOnlySet<string> Current)
{
    public static readonly RunPath None = new(new HashSet<string>(), new HashSet<string>(), new HashSet<string>());

    /// <summary>
    /// A connection counts as taken when its activity completed with its outcome and the activity it leads to was
    /// reached afterwards: the journal records outcomes, not connections, and this is what follows from them.
    /// </summary>
    public static RunPath Of(JsonArray connections, IReadOnlyList<JournalLine> journal, IEnumerable<string> waitingAt)
    {
        var current = waitingAt.ToHashSet(StringComparer.Ordinal);
        // The last time each activity was reached: in a loop, a connection back to an earlier step counts once it is taken again.
        var reachedAt = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in journal.Where(l => l.ActivityId is not null && l.Kind is "ActivityCompleted" or "BookmarkCreated" or "IncidentRaised" or "ChildStarted"))
        {
            reachedAt[line.ActivityId!] = line.Sequence;
        }

        foreach (var id in current)
        {
            reachedAt[id] = long.MaxValue;
        }

        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in journal.Where(l => l is { Kind: "ActivityCompleted", ActivityId: not null }))
        {
            var outcomes = (line.Outcome ?? "done").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var connection in connections.OfType<JsonObject>())
            {
                if (connection["from"]?.GetValue<string>() == line.ActivityId && outcomes.Contains(WorkflowDocument.OutcomeOf(connection))
                    && connection["to"]?.GetValue<string>() is { } to && reachedAt.TryGetValue(to, out var reached) && reached > line.Sequence)
                {
                    taken.Add(WorkflowDocument.KeyOf(connection));
                }
            }
        }

        return new RunPath(reachedAt.Keys.ToHashSet(StringComparer.Ordinal), taken, current);
    }
}
