using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.Runtime;

public sealed partial class WorkflowRuntime
{
    /// <summary>
    /// A person takes an open task from their role's shared inbox: from then on only they can complete it.
    /// Claiming a task one already holds succeeds again; a task someone else took first is a
    /// <see cref="StepStatus.Conflict"/> (<see cref="ConflictReason.TaskClaimed"/>). The claim is journalled.
    /// </summary>
    public async Task<StepResult> ClaimAsync(string bookmarkId, Actor actor, CancellationToken cancellationToken = default)
    {
        if (actor.IsSystem)
        {
            return StepResult.Fail(StepStatus.Forbidden, "A task is claimed by a person.");
        }

        for (var attempt = 0; attempt <= _options.MaxConflictRetries; attempt++)
        {
            if (await _store.FindBookmarkWithInstanceAsync(bookmarkId, cancellationToken) is not var (bookmark, instance) || !Sees(actor, bookmark))
            {
                return StepResult.Fail(StepStatus.NotFound, $"There is no task '{bookmarkId}'.");
            }

            if (bookmark.ConsumedAt is not null)
            {
                return StepResult.Conflicted(ConflictReason.BookmarkConsumed, "This task was already completed.", instance.Id);
            }

            if (bookmark.Kind != BookmarkKind.HumanTask)
            {
                return StepResult.Fail(StepStatus.Forbidden, "Only a task for people can be claimed.", instance.Id);
            }

            if (bookmark.UserId == actor.Id)
            {
                return new StepResult(StepStatus.Succeeded) { InstanceId = instance.Id, InstanceStatus = instance.Status, Bookmarks = [bookmark] };
            }

            if (bookmark.UserId is not null)
            {
                return StepResult.Conflicted(ConflictReason.TaskClaimed, "Someone else took this task first.", instance.Id);
            }

            if (!MayAct(actor, bookmark))
            {
                return StepResult.Fail(StepStatus.Forbidden, $"This task is for the role '{bookmark.Role}'.", instance.Id);
            }

            if (instance.Status != InstanceStatus.Waiting)
            {
                return StepResult.Fail(StepStatus.NotActive, $"The instance is {instance.Status.ToString().ToLowerInvariant()}.", instance.Id);
            }

            var session = new ExecutionSession(instance, await GraphOfAsync(instance, cancellationToken), _clock.GetUtcNow(), actor, _services);
            session.Record(JournalKind.TaskClaimed, bookmark.ActivityId, bookmark.ActivityType, bookmarkId: bookmark.Id);
            var commit = StepCommits.Build([session], StepExtras.None) with { Claims = [new TaskClaim(bookmark.Id, actor.Id)] };
            var outcome = await _committer.CommitAsync(commit, cancellationToken);
            switch (outcome.Conflict)
            {
                case null when outcome.Committed:
                    return new StepResult(StepStatus.Succeeded) { InstanceId = instance.Id, InstanceStatus = instance.Status, Bookmarks = [bookmark with { UserId = actor.Id }] };
                case ConflictReason.InstanceChanged:
                    continue;
                case { } reason:
                    return StepResult.Conflicted(reason, reason == ConflictReason.TaskClaimed ? "Someone else took this task first." : "This task was already completed.", instance.Id);
                default:
                    return StepResult.Fail(StepStatus.Failed, outcome.Error?.Message ?? "The claim could not be saved.", instance.Id);
            }
        }

        return StepResult.Conflicted(ConflictReason.InstanceChanged, "The instance kept changing; try again.");
    }
}
