using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Privacy;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;

namespace Yishi.Server.Workbench;

/// <summary>
/// The 409 of completing a task someone else completed first, saying who (masked) and when from the case's journal, so
/// the person who lost the race reads "completed by 王** at 10:02" rather than a bare conflict.
/// </summary>
internal static class CompletedFirst
{
    public static async Task<IResult?> ProblemAsync(string taskId, StepResult result, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (result.Conflict != ConflictReason.BookmarkConsumed || result.InstanceId is null)
        {
            return null;
        }

        var journal = await runtime.ReadJournalAsync(result.InstanceId, 0, 1000, cancellationToken);
        if (journal.LastOrDefault(e => e.Kind == JournalKind.BookmarkResumed && e.BookmarkId == taskId) is not { } done)
        {
            return null;
        }

        var name = done.ActorId is { } actor ? await db.Users.AsNoTracking().Where(u => u.Id == actor).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) : null;
        return TypedResults.Problem(result.Message, statusCode: 409, title: "Conflict", type: "urn:yishi:problem:already-completed", extensions: new Dictionary<string, object?>
        {
            ["completedBy"] = name is null ? null : Masking.Name(name),
            ["completedAt"] = done.At,
            ["outcome"] = done.Outcome,
        });
    }
}
