using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.Runtime;

public sealed partial class WorkflowRuntime
{
    /// <summary>
    /// Resumes a bookmark and runs the instance until it waits again. A bookmark is consumed exactly once: a
    /// second resume gets <see cref="StepStatus.Conflict"/>. When another step changed the same instance
    /// meanwhile (a parallel branch), the step is re-run on the new state.
    /// </summary>
    public Task<StepResult> ResumeAsync(ResumeRequest request, CancellationToken cancellationToken = default) =>
        ResumeCoreAsync(request.BookmarkId, request.Input, request.Actor, StepExtras.None, cancellationToken);

    private async Task<StepResult> ResumeCoreAsync(string bookmarkId, ResumeInput input, Actor actor, StepExtras extras, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt <= _options.MaxConflictRetries; attempt++)
        {
            var found = await _store.FindBookmarkWithInstanceAsync(bookmarkId, cancellationToken);
            if (found is not var (bookmark, instance) || !Sees(actor, bookmark))
            {
                return StepResult.Fail(StepStatus.NotFound, $"There is no bookmark '{bookmarkId}'.");
            }

            if (bookmark.ConsumedAt is { } consumedAt)
            {
                return StepResult.Conflicted(ConflictReason.BookmarkConsumed, $"This task was already completed at {consumedAt:u}.", instance.Id);
            }

            if (instance.Status != InstanceStatus.Waiting)
            {
                return StepResult.Fail(StepStatus.NotActive, instance.Status == InstanceStatus.Faulted
                    ? "The instance has an incident; retry or cancel it first."
                    : $"The instance is {instance.Status.ToString().ToLowerInvariant()}.", instance.Id);
            }

            if (!MayAct(actor, bookmark))
            {
                return StepResult.Fail(StepStatus.Forbidden, bookmark.Kind != BookmarkKind.HumanTask
                    ? $"A {bookmark.Kind} wait is resumed by the engine, not by a person."
                    : bookmark.UserId is not null ? "This task is assigned to another person." : $"This task is for the role '{bookmark.Role}'.", instance.Id);
            }

            var graph = await GraphOfAsync(instance, cancellationToken);
            var node = graph[bookmark.ActivityId];
            if (!actor.IsSystem && input.Outcome == Activities.BuiltIn.HumanTaskActivity.OverdueOutcome && Activities.BuiltIn.HumanTaskActivity.LeavesWhenOverdue(node.Activity))
            {
                return StepResult.Fail(StepStatus.Forbidden, "A task leaves by 'overdue' when its deadline passes; a person cannot choose it.", instance.Id);
            }

            var problems = node.Implementation.ValidateResume(node.Activity, bookmark, input);
            if (!problems.IsEmpty)
            {
                return new StepResult(StepStatus.InvalidInput) { InstanceId = instance.Id, Problems = problems, Message = "The input does not fit this task." };
            }

            var session = new ExecutionSession(instance, graph, _clock.GetUtcNow(), actor, _services);
            Interpreter.Resume(session, bookmark, input);
            var sessions = new List<ExecutionSession> { session };
            await StartChildrenAsync(sessions, session, 1, cancellationToken);
            var outcome = await _committer.CommitAsync(StepCommits.Build(sessions, extras), cancellationToken);
            switch (outcome.Conflict)
            {
                case null when outcome.Committed:
                    return await ResultAfterAsync(session, await AfterCommitAsync(sessions, cancellationToken), cancellationToken);
                case ConflictReason.InstanceChanged:
                    continue;
                case ConflictReason.BookmarkConsumed:
                    return StepResult.Conflicted(ConflictReason.BookmarkConsumed, "Someone else completed this task first.", instance.Id);
                case { } other:
                    return StepResult.Conflicted(other, $"The step was refused: {other}.", instance.Id);
                default:
                    return StepResult.Fail(StepStatus.Failed, outcome.Error?.Message ?? "The step could not be saved.", instance.Id);
            }
        }

        return StepResult.Conflicted(ConflictReason.InstanceChanged, "The instance kept changing; try again.");
    }

    /// <summary>People act on tasks; timers, messages and children are resumed by the engine itself.</summary>
    private static bool MayAct(Actor actor, Bookmark bookmark) =>
        actor.IsSystem || (bookmark.Kind == BookmarkKind.HumanTask &&
                           (bookmark.UserId is { } user ? actor.Id == user : bookmark.Role is not { } role || actor.Roles.Contains(role)));

    /// <summary>
    /// A bookmark outside the actor's scope is treated as absent, so its existence is not revealed across org
    /// units; one assigned to the actor is theirs wherever it is.
    /// </summary>
    private static bool Sees(Actor actor, Bookmark bookmark) => actor.IsSystem || bookmark.UserId == actor.Id || actor.Reaches(bookmark.Scope);

    /// <summary>Starts the children a step's SubWorkflow activities asked for, inside the same step.</summary>
    private async Task StartChildrenAsync(List<ExecutionSession> sessions, ExecutionSession parent, int depth, CancellationToken cancellationToken)
    {
        while (parent.ChildStarts.Count > 0)
        {
            var start = parent.ChildStarts[0];
            parent.ChildStarts.RemoveAt(0);
            var bookmark = parent.FindCreated(start.ParentBookmarkId);
            if (bookmark is null)
            {
                continue;
            }

            var graph = depth > _options.MaxSubWorkflowDepth ? null : await Definitions.GetLatestPublishedGraphAsync(start.DefinitionId, cancellationToken);
            var problems = graph is null ? [] : StartInput.Check(graph.Definition, start.Input);
            if (graph is null || !problems.IsEmpty)
            {
                var reason = graph is null
                    ? depth > _options.MaxSubWorkflowDepth ? $"Sub-workflows are nested deeper than {_options.MaxSubWorkflowDepth}." : $"'{start.DefinitionId}' has no published version."
                    : "The input does not fit the sub-workflow: " + string.Join("; ", problems.Select(p => p.Message));
                LogChildNotStarted(_logger, start.DefinitionId, parent.Instance.Id, reason);
                parent.Consume(bookmark.Id);
                Interpreter.Fault(parent, parent.Instance.State.Tokens.First(t => t.Id == start.ParentTokenId), reason, "definitionId");
                continue;
            }

            var child = new WorkflowInstance
            {
                Id = start.ChildInstanceId,
                DefinitionId = graph.Definition.DefinitionId,
                DefinitionVersion = graph.Version,
                CorrelationKey = parent.Instance.CorrelationKey,
                Scope = parent.Instance.Scope,
                ParentInstanceId = parent.Instance.Id,
                ParentBookmarkId = bookmark.Id,
                CreatedAt = parent.Now,
                UpdatedAt = parent.Now,
                Status = InstanceStatus.Running,
                State = new InstanceState { Variables = StartInput.InitialVariables(graph.Definition, start.Input) },
            };
            // One budget for the whole step, children included: a self-starting sub-workflow behind a fork would
            // otherwise multiply instances at every level (branches to the power of the depth) within one step.
            var childSession = new ExecutionSession(child, graph, parent.Now, parent.Actor, _services) { StepsTaken = parent.StepsTaken };
            Interpreter.Start(childSession, start.Input);
            await StartChildrenAsync(sessions, childSession, depth + 1, cancellationToken);
            parent.StepsTaken = childSession.StepsTaken;
            sessions.Add(childSession);
            // A parent faulted by an earlier child of this step must not run on: its outbox row resumes it after a retry.
            if (child.Status == InstanceStatus.Completed && parent.Instance.Status != InstanceStatus.Faulted)
            {
                // Finished within this step: continue the parent here instead of through the outbox.
                childSession.Outbox.RemoveAll(o => o.Kind == Outbox.OutboxKinds.ResumeParent);
                Interpreter.Resume(parent, bookmark, new ResumeInput(null, new System.Text.Json.Nodes.JsonObject { ["result"] = child.State.Result?.DeepClone() }));
            }
        }
    }

    /// <summary>
    /// Work that follows a commit: early messages for new waits, finished children resuming their parents, and
    /// children whose waiting branch was withdrawn being cancelled. Returns true when any of it moved an instance,
    /// so the caller reports the state after it rather than a bookmark that is already gone.
    /// </summary>
    private async Task<bool> AfterCommitAsync(List<ExecutionSession> sessions, CancellationToken cancellationToken)
    {
        AnnounceTimers(sessions);
        var moved = false;
        foreach (var session in sessions)
        {
            try
            {
                foreach (var bookmark in session.CreatedBookmarks)
                {
                    if (bookmark.Kind == BookmarkKind.Message)
                    {
                        moved |= await DeliverEarlyMessageAsync(bookmark, cancellationToken);
                    }
                }

                foreach (var row in session.Outbox)
                {
                    if (row.Kind == Outbox.OutboxKinds.ResumeParent)
                    {
                        moved |= await ResumeParentAsync(row, cancellationToken);
                    }
                }

                foreach (var bookmarkId in session.WithdrawnChildBookmarkIds)
                {
                    if ((await _store.FindBookmarkAsync(bookmarkId, cancellationToken))?.ChildInstanceId is { } child)
                    {
                        await CancelAsync(child, Actor.System, "The branch that waited for it was withdrawn.", cancellationToken);
                    }
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogAfterCommitFailed(_logger, session.Instance.Id, exception);
            }
        }

        return moved;
    }

    /// <summary>The result of a step, re-read when work after the commit moved the instance further.</summary>
    private async Task<StepResult> ResultAfterAsync(ExecutionSession session, bool moved, CancellationToken cancellationToken)
    {
        if (!moved || await _store.FindInstanceAsync(session.Instance.Id, cancellationToken) is not { } current)
        {
            return Succeeded(session);
        }

        return new StepResult(StepStatus.Succeeded)
        {
            InstanceId = current.Id,
            InstanceStatus = current.Status,
            Bookmarks = [.. await _store.QueryBookmarksAsync(new BookmarkQuery { InstanceId = current.Id }, cancellationToken)],
            Result = current.Status == InstanceStatus.Completed ? current.State.Result : null,
        };
    }
}
