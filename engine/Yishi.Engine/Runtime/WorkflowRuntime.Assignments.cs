using System.Text.Json.Nodes;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.Runtime;

public sealed partial class WorkflowRuntime
{
    /// <summary>
    /// A supervisor gives an open task to a named person, whoever holds it now (改派). The host decides who may assign and
    /// who may receive; the engine makes the change atomic with a journal entry (<see cref="JournalKind.TaskClaimed"/> with
    /// <c>what: assigned</c>, the new holder's id and the previous one's, and the reason as its message). A completion or
    /// another assignment committed meanwhile makes this one a <see cref="StepStatus.Conflict"/>.
    /// </summary>
    public async Task<StepResult> AssignAsync(string bookmarkId, string toUserId, string reason, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toUserId);
        if (actor.IsSystem)
        {
            return StepResult.Fail(StepStatus.Forbidden, "A task is assigned by a person.");
        }

        for (var attempt = 0; attempt <= _options.MaxConflictRetries; attempt++)
        {
            if (await _store.FindBookmarkWithInstanceAsync(bookmarkId, cancellationToken) is not var (bookmark, instance) || !Sees(actor, bookmark)
                || bookmark.Kind != BookmarkKind.HumanTask)
            {
                return StepResult.Fail(StepStatus.NotFound, $"There is no task '{bookmarkId}'.");
            }

            if (bookmark.ConsumedAt is not null)
            {
                return StepResult.Conflicted(ConflictReason.BookmarkConsumed, "This task was already completed.", instance.Id);
            }

            if (bookmark.UserId == toUserId)
            {
                return new StepResult(StepStatus.Succeeded) { InstanceId = instance.Id, InstanceStatus = instance.Status, Bookmarks = [bookmark] };
            }

            if (instance.Status != InstanceStatus.Waiting)
            {
                return StepResult.Fail(StepStatus.NotActive, $"The instance is {instance.Status.ToString().ToLowerInvariant()}.", instance.Id);
            }

            var session = new ExecutionSession(instance, await GraphOfAsync(instance, cancellationToken), _clock.GetUtcNow(), actor, _services);
            var data = new JsonObject { ["what"] = "assigned", ["to"] = toUserId };
            if (bookmark.UserId is { } previous)
            {
                data["from"] = previous;
            }

            session.Record(JournalKind.TaskClaimed, bookmark.ActivityId, bookmark.ActivityType, bookmarkId: bookmark.Id, message: reason, data: data);
            var commit = StepCommits.Build([session], StepExtras.None) with { Claims = [new TaskClaim(bookmark.Id, toUserId, Reassign: true)] };
            var outcome = await _committer.CommitAsync(commit, cancellationToken);
            switch (outcome.Conflict)
            {
                case null when outcome.Committed:
                    return new StepResult(StepStatus.Succeeded) { InstanceId = instance.Id, InstanceStatus = instance.Status, Bookmarks = [bookmark with { UserId = toUserId }] };
                case ConflictReason.InstanceChanged:
                    continue;
                case { } conflict:
                    return StepResult.Conflicted(conflict, "This task was already completed.", instance.Id);
                default:
                    return StepResult.Fail(StepStatus.Failed, outcome.Error?.Message ?? "The assignment could not be saved.", instance.Id);
            }
        }

        return StepResult.Conflicted(ConflictReason.InstanceChanged, "The instance kept changing; try again.");
    }
}
