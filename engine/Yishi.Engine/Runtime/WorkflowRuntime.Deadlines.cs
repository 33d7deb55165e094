using Yishi.Engine.Activities.BuiltIn;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Time;

namespace Yishi.Engine.Runtime;

public sealed partial class WorkflowRuntime
{
    /// <summary>How a task's deadline may be extended (<c>allowed</c>, <c>approval</c> or <c>none</c>), or null for no open task with a deadline.</summary>
    public async Task<string?> ExtensionPolicyAsync(string bookmarkId, CancellationToken cancellationToken = default)
    {
        if (await _store.FindBookmarkWithInstanceAsync(bookmarkId, cancellationToken) is not var (task, instance)
            || task is not { Kind: BookmarkKind.HumanTask, ConsumedAt: null, DueAt: not null })
        {
            return null;
        }

        return HumanTaskActivity.ExtensionPolicy((await GraphOfAsync(instance, cancellationToken))[task.ActivityId].Activity);
    }

    /// <summary>
    /// Moves an open task's deadline later by <paramref name="by"/> (working time counts with the case's
    /// calendar), journalled; the warnings start again from the new deadline. A person may extend a task they may
    /// act on when its activity allows it; <c>approval</c> tasks are extended by the system once a supervisor
    /// approved, <c>none</c> tasks never.
    /// </summary>
    public async Task<StepResult> ExtendDeadlineAsync(string bookmarkId, WorkDuration by, Actor actor, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt <= _options.MaxConflictRetries; attempt++)
        {
            if (await _store.FindBookmarkWithInstanceAsync(bookmarkId, cancellationToken) is not var (task, instance) || !Sees(actor, task))
            {
                return StepResult.Fail(StepStatus.NotFound, $"There is no task '{bookmarkId}'.");
            }

            if (task.ConsumedAt is not null)
            {
                return StepResult.Conflicted(ConflictReason.BookmarkConsumed, "This task was already completed.", instance.Id);
            }

            if (task is not { Kind: BookmarkKind.HumanTask, DueAt: { } due } || instance.Status != InstanceStatus.Waiting)
            {
                return StepResult.Fail(StepStatus.NotActive, "Only an open task with a deadline can be extended.", instance.Id);
            }

            var graph = await GraphOfAsync(instance, cancellationToken);
            var activity = graph[task.ActivityId].Activity;
            var policy = HumanTaskActivity.ExtensionPolicy(activity);
            if (policy == "none" || !MayAct(actor, task) || (policy == "approval" && !actor.IsSystem))
            {
                return StepResult.Fail(StepStatus.Forbidden, policy switch
                {
                    "none" => "This task's deadline cannot be extended.",
                    "approval" when !actor.IsSystem => "This task's deadline is extended when a supervisor approves.",
                    _ => "This task is not yours to extend.",
                }, instance.Id);
            }

            var session = new ExecutionSession(instance, graph, _clock.GetUtcNow(), actor, _services);
            var newDue = by.AddTo(due, session.Calendar);
            var alarm = HumanTaskActivity.NextWarning(activity, task.CreatedAt, newDue, session.Now);
            session.Record(JournalKind.DeadlineExtended, task.ActivityId, task.ActivityType, bookmarkId: task.Id,
                message: newDue.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            var commit = StepCommits.Build([session], StepExtras.None) with { DeadlineChanges = [new DeadlineChange(task.Id, due, newDue, alarm)] };
            var outcome = await _committer.CommitAsync(commit, cancellationToken);
            switch (outcome.Conflict)
            {
                case null when outcome.Committed:
                    return new StepResult(StepStatus.Succeeded) { InstanceId = instance.Id, InstanceStatus = instance.Status, Bookmarks = [task with { DueAt = newDue, AlarmAt = alarm }] };
                case ConflictReason.InstanceChanged or ConflictReason.DeadlineChanged:
                    continue;
                case { } reason:
                    return StepResult.Conflicted(reason, "This task was already completed.", instance.Id);
                default:
                    return StepResult.Fail(StepStatus.Failed, outcome.Error?.Message ?? "The extension could not be saved.", instance.Id);
            }
        }

        return StepResult.Conflicted(ConflictReason.InstanceChanged, "The instance kept changing; try again.");
    }
}
