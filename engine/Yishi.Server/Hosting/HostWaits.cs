using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;

namespace Yishi.Server.Hosting;

/// <summary>
/// Moving on a case that waits for something the server runs (a consultation, a proposal): the step's bookmark, found
/// by its kind and the correlation key the activity gave it, is resumed by the system. The answer says whether that is
/// settled: resumed, or the case no longer waits for it (gone, already moved on, cancelled or completed). A case with an
/// incident is not settled: the caller tries again later.
/// </summary>
internal static class HostWaits
{
    /// <summary>The step (null when nothing waited any more) and whether the wait is settled.</summary>
    public static async Task<(StepResult? Step, bool Settled)> ResumeAsync(WorkflowRuntime runtime, BookmarkKind kind, string instanceId, string correlationKey,
        string? knownBookmarkId, ResumeInput input, CancellationToken cancellationToken)
    {
        var bookmarkId = knownBookmarkId ?? (await runtime.QueryBookmarksAsync(
            new BookmarkQuery { Kind = kind, InstanceId = instanceId, CorrelationKey = correlationKey, Limit = 1 }, cancellationToken) is [var wait, ..] ? wait.Id : null);
        if (bookmarkId is null)
        {
            return (null, true);
        }

        var step = await runtime.ResumeAsync(new ResumeRequest(bookmarkId, input, Actor.System), cancellationToken);
        var settled = step.Succeeded || step.Status == StepStatus.NotFound || step.Conflict == ConflictReason.BookmarkConsumed
            || (step.Status == StepStatus.NotActive && (await runtime.FindInstanceAsync(instanceId, cancellationToken))?.Status != InstanceStatus.Faulted);
        return (step, settled);
    }
}
