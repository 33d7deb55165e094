using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.Migrations;

public static partial class MigrationPlanner
{
    /// <summary>One plan being built: the case as read, and everything found so far.</summary>
    private sealed class Work(WorkflowInstance instance, IReadOnlyList<Bookmark> openBookmarks, WorkflowGraph from, WorkflowGraph to,
        IReadOnlyDictionary<string, string> map)
    {
        private readonly InstanceState _state = instance.State;
        private readonly List<Token> _tokens = [];
        private readonly Dictionary<string, Dictionary<int, int>> _joins = new(StringComparer.Ordinal);
        private readonly List<Incident> _incidents = [];
        private readonly JsonObject _outputs = [];
        private readonly JsonObject _variables = [];
        private readonly List<BookmarkMove> _moves = [];
        private readonly List<string> _withdrawn = [];

        public ImmutableArray<MigrationPlacement>.Builder Placements { get; } = ImmutableArray.CreateBuilder<MigrationPlacement>();

        public ImmutableArray<MigrationNote>.Builder Warnings { get; } = ImmutableArray.CreateBuilder<MigrationNote>();

        public ImmutableArray<MigrationNote>.Builder Problems { get; } = ImmutableArray.CreateBuilder<MigrationNote>();

        private int From => instance.DefinitionVersion;

        private int To => to.Version;

        public void Refuse(string code, string? activityId, string message) => Problems.Add(new MigrationNote(code, activityId, message));

        private void Warn(string code, string? activityId, string message) => Warnings.Add(new MigrationNote(code, activityId, message));

        /// <summary>The counterpart of an activity of the case's version in the target version, or null when it has none.</summary>
        private string? Counterpart(string oldId)
        {
            if (!from.Contains(oldId))
            {
                return null;
            }

            var target = map.TryGetValue(oldId, out var mapped) ? mapped : oldId;
            return to.Contains(target) ? target : null;
        }

        /// <summary>The target version's index of an old connection: same counterpart ends, same outcome; null when it has none.</summary>
        private int? CounterpartConnection(int? index)
        {
            var old = from.Definition.Connections;
            if (index is not { } i || i < 0 || i >= old.Length)
            {
                return null;
            }

            var (source, target) = (Counterpart(old[i].From), Counterpart(old[i].To));
            if (source is null || target is null)
            {
                return null;
            }

            // Connections are unique by (from, to, outcome): validation refuses duplicates.
            var connections = to.Definition.Connections;
            for (var n = 0; n < connections.Length; n++)
            {
                if (connections[n].From == source && connections[n].To == target && connections[n].Outcome == old[i].Outcome)
                {
                    return n;
                }
            }

            return null;
        }

        private string Describe(int index)
        {
            var c = from.Definition.Connections[index];
            return Text($"'{c.From}' → '{c.To}' ({c.Outcome})");
        }

        /// <summary>Renamed activities may merge, but not two that both carry this case's state: whose output or token would it be?</summary>
        public void CheckCollisions()
        {
            var live = _state.Tokens.Select(t => t.ActivityId).Concat(_state.Joins.Keys).Concat(_state.Activities.Select(p => p.Key)).ToHashSet(StringComparer.Ordinal);
            foreach (var group in from.Definition.Activities.Select(a => a.Id).Where(live.Contains)
                         .GroupBy(Counterpart, StringComparer.Ordinal).Where(g => g.Key is not null && g.Count() > 1))
            {
                Refuse(MigrationCodes.MapCollision, group.Key, Text($"{string.Join(" and ", group.Select(id => $"'{id}'"))} would all become '{group.Key}', and each carries this case's state: map them to different activities."));
            }
        }

        public void MoveTokens()
        {
            foreach (var token in _state.Tokens)
            {
                var oldNode = from[token.ActivityId];
                var target = Counterpart(token.ActivityId);
                if (target is null)
                {
                    Refuse(MigrationCodes.ActivityRemoved, token.ActivityId, Text($"The case stands at '{NameOf(oldNode.Activity)}' ({oldNode.Activity.Type}), which v{To} does not have: map it to an activity of v{To}, or let the case finish on v{From}."));
                    continue;
                }

                var newNode = to[target];
                if (newNode.Activity.Type != oldNode.Activity.Type)
                {
                    Refuse(MigrationCodes.TypeChanged, token.ActivityId, Text($"The case stands at '{token.ActivityId}', a {oldNode.Activity.Type}; its counterpart '{target}' in v{To} is a {newNode.Activity.Type}, and a {oldNode.Activity.Type} that is under way cannot become one."));
                    continue;
                }

                Bookmark? bookmark = null;
                WaitKind wait;
                switch (token.Status)
                {
                    case TokenStatus.Waiting:
                        bookmark = openBookmarks.FirstOrDefault(b => b.Id == token.BookmarkId);
                        if (bookmark is null)
                        {
                            Refuse(MigrationCodes.BookmarkMissing, token.ActivityId, Text($"The case waits at '{token.ActivityId}' on a bookmark that is not open: it is being resumed right now, or its state is damaged; try again."));
                            continue;
                        }

                        wait = WaitOf(bookmark.Kind);
                        WarnAboutWait(bookmark, oldNode, newNode);
                        if (bookmark.ActivityId != target)
                        {
                            _moves.Add(new BookmarkMove(bookmark.Id, bookmark.ActivityId, target));
                        }

                        break;
                    case TokenStatus.Faulted:
                        wait = WaitKind.Incident;
                        WarnRetry(token.ActivityId, oldNode, newNode, "failed");
                        break;
                    default:
                        wait = WaitKind.Ready;
                        WarnRetry(token.ActivityId, oldNode, newNode, "has not run yet");
                        break;
                }

                Placements.Add(new MigrationPlacement(token.ActivityId, target, NameOf(newNode.Activity), newNode.Activity.Type, wait, bookmark?.Id, bookmark?.DueAt));
                _tokens.Add(token with { ActivityId = target, ArrivedVia = CounterpartConnection(token.ArrivedVia) });
            }
        }

        private void WarnRetry(string activityId, WorkflowGraph.Node oldNode, WorkflowGraph.Node newNode, string what)
        {
            var changed = ChangedProperties(oldNode.Activity, newNode.Activity);
            Warn(MigrationCodes.RetryRunsNewVersion, activityId, changed.IsEmpty
                ? Text($"'{activityId}' {what}; when the case is retried it runs as v{To} defines it.")
                : Text($"'{activityId}' {what}; when the case is retried it runs as v{To} defines it, with its changed {string.Join(", ", changed)}."));
        }

        /// <summary>An open wait keeps what it was set up with; say what the target version would have set up differently.</summary>
        private void WarnAboutWait(Bookmark bookmark, WorkflowGraph.Node oldNode, WorkflowGraph.Node newNode)
        {
            var activityId = bookmark.ActivityId;
            var changed = ChangedProperties(oldNode.Activity, newNode.Activity);
            if (bookmark.Kind == BookmarkKind.HumanTask)
            {
                WarnAboutTask(bookmark, newNode, changed);
                return;
            }

            if (bookmark.Kind == BookmarkKind.SubWorkflow)
            {
                Warn(MigrationCodes.ChildStays, activityId, Text($"The child case {bookmark.ChildInstanceId} that '{activityId}' waits for is not migrated with it: it stays on its own version and can be migrated on its own."));
            }

            if (!changed.IsEmpty)
            {
                var due = bookmark.DueAt is { } at ? Text($" (due {at:yyyy-MM-dd HH:mm} UTC)") : "";
                Warn(MigrationCodes.WaitKeepsSetup, activityId, Text($"The open {WaitOf(bookmark.Kind).ToString().ToLowerInvariant()} at '{activityId}' keeps what it was set up with under v{From}{due}; v{To}'s changed {string.Join(", ", changed)} apply when the activity runs again."));
            }
        }

        private void WarnAboutTask(Bookmark bookmark, WorkflowGraph.Node newNode, ImmutableArray<string> changed)
        {
            var activityId = bookmark.ActivityId;
            var offered = bookmark.Payload?["outcomes"] is JsonArray list ? list.Select(o => o?.GetValue<string>()).OfType<string>().ToList() : [];
            var outcomes = newNode.Implementation.GetOutcomes(newNode.Activity);
            var gone = offered.Where(o => !outcomes.Contains(o)).ToList();
            if (offered.Count > 0 && gone.Count == offered.Count)
            {
                Refuse(MigrationCodes.NoOutcomeLeft, activityId, Text($"The open task at '{activityId}' offers {string.Join(", ", offered)}, none of which v{To} has ({string.Join(", ", outcomes)}): it could never be completed."));
            }
            else if (gone.Count > 0)
            {
                Warn(MigrationCodes.TaskOutcomeGone, activityId, Text($"The open task at '{activityId}' still offers {string.Join(", ", gone)}, which v{To} no longer has: choosing it would be refused."));
            }

            if (changed.Contains("form"))
            {
                Warn(MigrationCodes.TaskFormChanged, activityId, Text($"The form of '{activityId}' changed in v{To}: the open task is completed against v{To}'s form."));
            }

            var setup = changed.Where(p => p is not ("form" or "outcomes")).ToList();
            if (setup.Count > 0 || changed.Contains("outcomes"))
            {
                var due = bookmark.DueAt is { } at ? Text($", deadline {at:yyyy-MM-dd HH:mm} UTC") : "";
                Warn(MigrationCodes.TaskKeepsSetup, activityId, Text($"The open task at '{activityId}' keeps its title, assignee{due} and the outcomes it shows as set under v{From}; v{To}'s changed {string.Join(", ", changed.Where(p => p != "form"))} apply to tasks opened from now on."));
            }
        }

        /// <summary>Open bookmarks no live token waits on (a withdrawal left them behind): re-pointed, or withdrawn when their activity is gone.</summary>
        public void MoveStaleBookmarks()
        {
            var waitedOn = _state.Tokens.Select(t => t.BookmarkId).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var bookmark in openBookmarks.Where(b => !waitedOn.Contains(b.Id)))
            {
                if (Counterpart(bookmark.ActivityId) is { } target)
                {
                    if (target != bookmark.ActivityId)
                    {
                        _moves.Add(new BookmarkMove(bookmark.Id, bookmark.ActivityId, target));
                    }
                }
                else
                {
                    _withdrawn.Add(bookmark.Id);
                    Warn(MigrationCodes.StaleBookmarkWithdrawn, bookmark.ActivityId, Text($"A leftover {bookmark.Kind} bookmark at '{bookmark.ActivityId}' that nothing waits on is withdrawn: v{To} has no such activity."));
                }
            }
        }

        public void MoveJoins()
        {
            foreach (var (joinId, arrivals) in _state.Joins.OrderBy(j => j.Key, StringComparer.Ordinal))
            {
                if (arrivals.Values.All(count => count <= 0))
                {
                    continue;
                }

                var target = Counterpart(joinId);
                if (target is null)
                {
                    Warn(MigrationCodes.JoinRemoved, joinId, Text($"The branches that reached join '{joinId}' are dropped: v{To} has no such join, so they end there."));
                    continue;
                }

                var node = to[target];
                if (!node.IsJoin)
                {
                    Refuse(MigrationCodes.TypeChanged, joinId, Text($"Branches wait at join '{joinId}'; its counterpart '{target}' in v{To} is a {node.Activity.Type}."));
                    continue;
                }

                var moved = new Dictionary<int, int>();
                foreach (var (index, count) in arrivals.Where(a => a.Value > 0).OrderBy(a => a.Key))
                {
                    if (CounterpartConnection(index) is { } newIndex)
                    {
                        moved[newIndex] = moved.GetValueOrDefault(newIndex) + count;
                    }
                    else
                    {
                        var via = index >= 0 && index < from.Definition.Connections.Length ? Describe(index) : "an unknown connection";
                        Warn(MigrationCodes.JoinArrivalLost, joinId, Text($"The branch that arrived at join '{joinId}' by {via} is dropped: v{To} has no such connection, so the join waits for that branch again."));
                    }
                }

                if (moved.Count == 0)
                {
                    continue;
                }

                _joins[target] = moved;
                Placements.Add(new MigrationPlacement(joinId, target, NameOf(node.Activity), node.Activity.Type, WaitKind.Join));
            }
        }

        /// <summary>Runs after tokens and joins moved: a Join 'all' of the target version that no live token can still feed goes on at the next step.</summary>
        public void WarnJoinsThatFire()
        {
            foreach (var (joinId, arrivals) in _joins)
            {
                var node = to[joinId];
                if (node.IsJoinAny)
                {
                    continue;
                }

                var satisfied = node.Inbound.All(inbound => arrivals.GetValueOrDefault(inbound) > 0 || !_tokens.Any(t => node.JoinFeeders[inbound].Contains(t.ActivityId)));
                if (satisfied)
                {
                    Warn(MigrationCodes.JoinFiresNextStep, joinId, Text($"In v{To} join '{joinId}' waits for no other branch: it goes on at the case's next step."));
                }
            }
        }

        public void MoveIncidents()
        {
            var liveTokens = _state.Tokens.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var incident in _state.Incidents)
            {
                if (Counterpart(incident.ActivityId) is { } target)
                {
                    _incidents.Add(incident with { ActivityId = target });
                }
                else if (!liveTokens.Contains(incident.TokenId))
                {
                    // A live token on it is refused above; this one's token is gone, so it only records a past failure.
                    Warn(MigrationCodes.IncidentDropped, incident.ActivityId, Text($"The incident at '{incident.ActivityId}' is dropped: v{To} has no such activity."));
                }
            }
        }

        /// <summary>Outputs of completed activities are kept, under the counterpart's id so that the target version's expressions find them.</summary>
        public void MoveOutputs()
        {
            var unmatched = new List<KeyValuePair<string, JsonNode?>>();
            foreach (var (activityId, output) in _state.Activities)
            {
                if (Counterpart(activityId) is { } target)
                {
                    _outputs[target] = output?.DeepClone();
                }
                else
                {
                    unmatched.Add(new(activityId, output));
                }
            }

            foreach (var (activityId, output) in unmatched.Where(p => !_outputs.ContainsKey(p.Key)))
            {
                _outputs[activityId] = output?.DeepClone();
            }
        }

        /// <summary>Values are never thrown away: a case's variables may be the only record of what people entered.</summary>
        public void MoveVariables()
        {
            var declared = to.Definition.Variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
            foreach (var (name, value) in _state.Variables)
            {
                _variables[name] = value?.DeepClone();
                if (!declared.TryGetValue(name, out var variable))
                {
                    Warn(MigrationCodes.VariableUndeclared, null, Text($"v{To} does not declare the variable '{name}': its value is kept on the case, but no step of v{To} uses it."));
                }
                else if (value is not null && !variable.Accepts(value))
                {
                    Warn(MigrationCodes.VariableTypeChanged, null, Text($"The variable '{name}' is of type {variable.Type.ToString().ToLowerInvariant()} in v{To}; the case's value, kept as it is, does not fit it."));
                }
            }

            foreach (var variable in to.Definition.Variables.Where(v => !_state.Variables.ContainsKey(v.Name)))
            {
                _variables[variable.Name] = variable.Default is { } value ? JsonNode.Parse(value.GetRawText()) : null;
                Warn(MigrationCodes.VariableAdded, null, variable.Default is null
                    ? Text($"v{To} adds the variable '{variable.Name}': it stays empty on this case until a step sets it.")
                    : Text($"v{To} adds the variable '{variable.Name}': this case gets its default."));
            }
        }

        /// <summary>The renames that apply to this case: activities of its version whose counterpart has another id.</summary>
        public ImmutableSortedDictionary<string, string> Renames() => ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            from.Definition.Activities.Select(a => (a.Id, Target: Counterpart(a.Id))).Where(p => p.Target is not null && p.Target != p.Id)
                .Select(p => KeyValuePair.Create(p.Id, p.Target!)));

        public MigrationRewrite Rewrite() => new(new InstanceState
        {
            Variables = _variables,
            Activities = _outputs,
            Tokens = _tokens,
            Joins = _joins,
            Incidents = _incidents,
            Result = _state.Result?.DeepClone(),
            NextId = _state.NextId,
            NextJournalSequence = _state.NextJournalSequence,
        }, [.. _moves], [.. _withdrawn]);
    }
}
