using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Outbox;

namespace Yishi.Engine.Execution;

/// <summary>
/// Token-based flowchart semantics. A token on an activity runs it; the outcomes it completes by send a new
/// token along every connection leaving by them (several connections = parallel branches). The interpreter
/// runs until every token waits on a bookmark, the instance ends, or the step budget is spent. It reads no
/// clock and does no I/O: the same state, input and clock give the same result.
/// </summary>
internal static class Interpreter
{
    /// <summary>Places a token on the Start activity and runs.</summary>
    public static void Start(ExecutionSession session, JsonObject? input)
    {
        var token = new Token(session.NextId("t"), session.Graph.StartActivityId, TokenStatus.Ready);
        session.Instance.State.Tokens.Add(token);
        session.Instance.Status = InstanceStatus.Running;
        session.Record(JournalKind.InstanceStarted, message: null);
        Run(session, new Queue<Token>([token]), input);
    }

    /// <summary>Resumes the activity a bookmark waits in, then runs.</summary>
    public static void Resume(ExecutionSession session, Bookmark bookmark, ResumeInput input)
    {
        var state = session.Instance.State;
        var index = state.Tokens.FindIndex(t => t.Id == bookmark.TokenId);
        session.Consume(bookmark.Id);
        session.Record(JournalKind.BookmarkResumed, bookmark.ActivityId, bookmark.ActivityType, input.Outcome, bookmark.Id,
            data: input.Data is { Count: > 0 } data ? new JsonObject { ["fields"] = new JsonArray([.. data.Select(p => (JsonNode)JsonValue.Create(p.Key))]) } : null);
        if (index < 0)
        {
            // The token was withdrawn in the same commit that left this bookmark behind: nothing to continue.
            Finish(session);
            return;
        }

        var token = state.Tokens[index] with { Status = TokenStatus.Ready, BookmarkId = null };
        state.Tokens[index] = token;
        session.Instance.Status = InstanceStatus.Running;
        var node = session.Graph[token.ActivityId];
        var queue = new Queue<Token>();
        var context = new ActivityContext(session, node.Activity, token, input.Data);
        Apply(session, token, node, Guard(() => node.Implementation.Resume(context, bookmark, input)), queue);
        Run(session, queue, input.Data);
    }

    /// <summary>Runs the ready tokens again after a person retried the incidents.</summary>
    public static void Retry(ExecutionSession session)
    {
        var state = session.Instance.State;
        state.Incidents.Clear();
        for (var i = 0; i < state.Tokens.Count; i++)
        {
            if (state.Tokens[i].Status == TokenStatus.Faulted)
            {
                state.Tokens[i] = state.Tokens[i] with { Status = TokenStatus.Ready };
            }
        }

        session.Instance.Status = InstanceStatus.Running;
        session.Record(JournalKind.IncidentRetried);
        Run(session, new Queue<Token>(state.Tokens.Where(t => t.Status == TokenStatus.Ready)), null);
    }

    private static void Run(ExecutionSession session, Queue<Token> queue, JsonNode? input)
    {
        var instance = session.Instance;
        var tokens = instance.State.Tokens;
        do
        {
            while (instance.Status == InstanceStatus.Running && queue.TryDequeue(out var token))
            {
                // A token withdrawn by a Join 'any' or an End may still sit in the queue.
                if (!tokens.Contains(token))
                {
                    continue;
                }

                var node = session.Graph[token.ActivityId];
                if (++session.StepsTaken > session.Services.StepBudget)
                {
                    Fault(session, token, $"The step budget of {session.Services.StepBudget:N0} activities per step was spent: the workflow loops without waiting. Fix the loop, then retry.", null);
                    break;
                }

                if (node.IsJoin)
                {
                    Arrive(session, token, node, queue);
                    continue;
                }

                var context = new ActivityContext(session, node.Activity, token, input);
                Apply(session, token, node, Guard(() => node.Implementation.Execute(context)), queue);
            }
        }
        while (instance.Status == InstanceStatus.Running && SettleJoins(session, queue));

        Finish(session);
    }

    private static ActivityResult Guard(Func<ActivityResult> run)
    {
        try
        {
            return run();
        }
#pragma warning disable CA1031 // An activity's bug becomes an incident on its instance; it must never stop the engine.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return new ActivityResult.Faulted($"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private static void Apply(ExecutionSession session, Token token, WorkflowGraph.Node node, ActivityResult result, Queue<Token> queue)
    {
        var state = session.Instance.State;
        var activity = node.Activity;
        switch (result)
        {
            case ActivityResult.Completed completed:
                state.Tokens.Remove(token);
                if (completed.Output is { } output)
                {
                    state.Activities[activity.Id] = output;
                }

                session.Record(JournalKind.ActivityCompleted, activity.Id, activity.Type, string.Join(",", completed.Outcomes));
                foreach (var outcome in completed.Outcomes)
                {
                    foreach (var edge in node.EdgesFor(outcome))
                    {
                        var next = new Token(session.NextId("t"), edge.To, TokenStatus.Ready, ArrivedVia: edge.Index);
                        state.Tokens.Add(next);
                        queue.Enqueue(next);
                    }
                }

                break;
            case ActivityResult.Suspended suspended:
                Suspend(session, token, node, suspended.Bookmark);
                break;
            case ActivityResult.StartChild child:
                var childId = session.NextId("c");
                var bookmark = Suspend(session, token, node, new BookmarkRequest(BookmarkKind.SubWorkflow) { ChildInstanceId = childId });
                session.ChildStarts.Add(new ChildStart(childId, child.DefinitionId, child.Input, bookmark.Id, token.Id));
                session.Record(JournalKind.ChildStarted, activity.Id, activity.Type, message: child.DefinitionId, data: new JsonObject { ["childInstanceId"] = childId });
                break;
            case ActivityResult.Faulted faulted:
                Fault(session, token, faulted.Message, faulted.Property);
                break;
            case ActivityResult.Ended ended:
                state.Tokens.Remove(token);
                session.Record(JournalKind.ActivityCompleted, activity.Id, activity.Type);
                state.Result = ended.Result;
                WithdrawAll(session);
                Complete(session);
                break;
        }
    }

    private static Bookmark Suspend(ExecutionSession session, Token token, WorkflowGraph.Node node, BookmarkRequest request)
    {
        var bookmark = new Bookmark
        {
            Id = session.NextBookmarkId(),
            InstanceId = session.Instance.Id,
            DefinitionId = session.Instance.DefinitionId,
            Scope = session.Instance.Scope,
            ActivityId = node.Activity.Id,
            ActivityType = node.Activity.Type,
            TokenId = token.Id,
            Kind = request.Kind,
            CreatedAt = session.Now,
            DueAt = request.DueAt,
            Role = request.Role,
            UserId = request.UserId,
            MessageName = request.MessageName,
            CorrelationKey = request.CorrelationKey,
            ChildInstanceId = request.ChildInstanceId,
            AlarmAt = request.AlarmAt,
            Payload = request.Payload,
        };
        var tokens = session.Instance.State.Tokens;
        tokens[tokens.IndexOf(token)] = token with { Status = TokenStatus.Waiting, BookmarkId = bookmark.Id };
        session.CreatedBookmarks.Add(bookmark);
        session.Record(JournalKind.BookmarkCreated, node.Activity.Id, node.Activity.Type, bookmarkId: bookmark.Id);
        return bookmark;
    }

    /// <summary>Puts the instance in <see cref="InstanceStatus.Faulted"/> with an incident on the token.</summary>
    internal static void Fault(ExecutionSession session, Token token, string message, string? property)
    {
        var state = session.Instance.State;
        var index = state.Tokens.FindIndex(t => t.Id == token.Id);
        if (index >= 0)
        {
            state.Tokens[index] = state.Tokens[index] with { Status = TokenStatus.Faulted, BookmarkId = null };
        }

        state.Incidents.Add(new Incident(session.NextId("i"), token.ActivityId, token.Id, message, session.Now, property));
        session.Instance.Status = InstanceStatus.Faulted;
        session.Record(JournalKind.IncidentRaised, token.ActivityId, session.Graph[token.ActivityId].Activity.Type, message: message);
    }

    /// <summary>A token reaches a join.</summary>
    private static void Arrive(ExecutionSession session, Token token, WorkflowGraph.Node join, Queue<Token> queue)
    {
        var state = session.Instance.State;
        state.Tokens.Remove(token);
        if (join.IsJoinAny)
        {
            // The first branch wins; the others heading here are withdrawn (their tasks and timers with them).
            var feeders = join.JoinFeeders.Values.SelectMany(f => f).ToHashSet(StringComparer.Ordinal);
            foreach (var other in state.Tokens.Where(t => feeders.Contains(t.ActivityId)).ToList())
            {
                Withdraw(session, other);
            }

            state.Joins.Remove(join.Activity.Id);
            Fire(session, join, queue);
            return;
        }

        if (!state.Joins.TryGetValue(join.Activity.Id, out var arrivals))
        {
            arrivals = [];
            state.Joins[join.Activity.Id] = arrivals;
        }

        var via = token.ArrivedVia ?? -1;
        arrivals[via] = arrivals.GetValueOrDefault(via) + 1;
        TryFireAll(session, join, queue);
    }

    /// <summary>
    /// A join 'all' fires when each inbound connection has either delivered a token or can no longer deliver
    /// one: no live token stands on an activity from which that connection's source is reachable (not
    /// passing through the join itself). So a branch a Decision did not take never blocks it.
    /// </summary>
    private static bool TryFireAll(ExecutionSession session, WorkflowGraph.Node join, Queue<Token> queue)
    {
        var state = session.Instance.State;
        if (!state.Joins.TryGetValue(join.Activity.Id, out var arrivals) || arrivals.Values.All(count => count == 0))
        {
            return false;
        }

        foreach (var inbound in join.Inbound)
        {
            if (arrivals.GetValueOrDefault(inbound) > 0)
            {
                continue;
            }

            var feeders = join.JoinFeeders[inbound];
            if (state.Tokens.Any(t => feeders.Contains(t.ActivityId)))
            {
                return false;
            }
        }

        foreach (var key in arrivals.Keys.ToList())
        {
            if (--arrivals[key] <= 0)
            {
                arrivals.Remove(key);
            }
        }

        if (arrivals.Count == 0)
        {
            state.Joins.Remove(join.Activity.Id);
        }

        Fire(session, join, queue);
        return true;
    }

    private static void Fire(ExecutionSession session, WorkflowGraph.Node join, Queue<Token> queue)
    {
        var token = new Token(session.NextId("t"), join.Activity.Id, TokenStatus.Ready);
        session.Instance.State.Tokens.Add(token);
        Apply(session, token, join, ActivityResult.Done(), queue);
    }

    /// <summary>Re-checks joins waiting on branches that may have died since; true when one fired.</summary>
    private static bool SettleJoins(ExecutionSession session, Queue<Token> queue)
    {
        var fired = false;
        foreach (var joinId in session.Instance.State.Joins.Keys.Order(StringComparer.Ordinal).ToList())
        {
            fired |= TryFireAll(session, session.Graph[joinId], queue);
        }

        return fired;
    }

    private static void Withdraw(ExecutionSession session, Token token)
    {
        session.Instance.State.Tokens.Remove(token);
        if (token.BookmarkId is { } bookmarkId)
        {
            session.Consume(bookmarkId);
            session.Record(JournalKind.BookmarkWithdrawn, token.ActivityId, session.Graph[token.ActivityId].Activity.Type, bookmarkId: bookmarkId);
            var child = session.ChildStarts.FindIndex(c => c.ParentBookmarkId == bookmarkId);
            if (child >= 0)
            {
                session.ChildStarts.RemoveAt(child);
            }
            else if (session.Graph[token.ActivityId].Activity.Type == Activities.BuiltIn.SubWorkflowActivity.TypeName)
            {
                session.WithdrawnChildBookmarkIds.Add(bookmarkId);
            }
        }
    }

    /// <summary>Withdraws every remaining token (an End was reached, or the instance is cancelled).</summary>
    internal static void WithdrawAll(ExecutionSession session)
    {
        foreach (var token in session.Instance.State.Tokens.ToList())
        {
            Withdraw(session, token);
        }

        session.Instance.State.Joins.Clear();
    }

    private static void Complete(ExecutionSession session)
    {
        session.Instance.Status = InstanceStatus.Completed;
        session.Instance.FinishedAt = session.Now;
        session.Record(JournalKind.InstanceCompleted);
        NotifyParent(session, ConnectionOutcome.Done);
    }

    /// <summary>Tells a waiting parent, through the outbox, that this child finished.</summary>
    internal static void NotifyParent(ExecutionSession session, string outcome)
    {
        var instance = session.Instance;
        if (instance is { ParentInstanceId: { } parentId, ParentBookmarkId: { } bookmarkId })
        {
            session.Outbox.Add(new OutboxMessage(session.NextId("o"), instance.Id, OutboxKinds.ResumeParent, new JsonObject
            {
                ["parentInstanceId"] = parentId,
                ["bookmarkId"] = bookmarkId,
                ["outcome"] = outcome,
                ["result"] = instance.State.Result?.DeepClone(),
            }, session.Now));
        }
    }

    private static void Finish(ExecutionSession session)
    {
        var instance = session.Instance;
        if (instance.Status != InstanceStatus.Running)
        {
            return;
        }

        if (instance.State.Tokens.Count == 0)
        {
            Complete(session);
        }
        else if (instance.State.Tokens.All(t => t.Status == TokenStatus.Waiting))
        {
            instance.Status = InstanceStatus.Waiting;
        }
    }

    private static class ConnectionOutcome
    {
        public const string Done = Definitions.ConnectionDefinition.DefaultOutcome;
    }
}
