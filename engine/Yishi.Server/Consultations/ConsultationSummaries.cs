using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Runtime;
using Yishi.Server.Audit;
using Yishi.Server.Data;

namespace Yishi.Server.Consultations;

/// <summary>
/// Publishing a closed consultation's summary, which moves its case on: the case resumes with the counts frozen at
/// close and the summary. The summary is saved first and the case resumed after; if the resume cannot happen at
/// once, the consultation loop tries again, so a published summary always reaches its case.
/// </summary>
internal sealed partial class ConsultationSummaries(IServiceScopeFactory scopes, WorkflowRuntime runtime, AuditLog audit, TimeProvider clock,
    ILogger<ConsultationSummaries> logger)
{
    private const int Batch = 20;

    /// <summary>Saves the summary of a closed consultation; false when another request published one first.</summary>
    public async Task<bool> PublishAsync(ServerDbContext db, Consultation consultation, string text, string by, CancellationToken cancellationToken)
    {
        consultation.Status = ConsultationStatus.Summarized;
        consultation.Summary = text;
        consultation.SummaryAt = clock.GetUtcNow();
        consultation.SummaryBy = by;
        consultation.Version++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await db.Entry(consultation).ReloadAsync(cancellationToken);
            return false;
        }

        // The text stays out of the chain; its hash ties the published words to it.
        await audit.AppendAsync(ConsultationEvents.SummaryPublished, ConsultationEvents.Subject(consultation.Id), new JsonObject
        {
            ["consultationId"] = consultation.Id,
            ["by"] = by,
            ["summarySha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
        }, cancellationToken);
        return true;
    }

    /// <summary>
    /// Resumes the case of a summed-up consultation with its counts and summary. Answers the step, or null when the
    /// case no longer waits for it (cancelled meanwhile). A case with an incident is tried again later.
    /// </summary>
    public async Task<StepResult?> ResumeAsync(ServerDbContext db, Consultation consultation, CancellationToken cancellationToken)
    {
        var data = JsonNode.Parse(consultation.Tally ?? "{}") as JsonObject ?? [];
        data["summary"] = consultation.Summary;
        data["closedAt"] = consultation.ClosedAt;
        data["summaryAt"] = consultation.SummaryAt;
        var (step, finished) = await Hosting.HostWaits.ResumeAsync(runtime, BookmarkKind.Consultation, consultation.InstanceId, consultation.Id, consultation.BookmarkId,
            new ResumeInput(Engine.Definitions.ConnectionDefinition.DefaultOutcome, data), cancellationToken);
        if (!finished)
        {
            LogNotResumed(logger, consultation.Id, consultation.InstanceId, step!.Status);
        }

        if (finished)
        {
            consultation.Resumed = true;
            consultation.Version++;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another process marked it first; the bookmark was consumed once either way.
                await db.Entry(consultation).ReloadAsync(cancellationToken);
            }
        }

        return step;
    }

    /// <summary>Resumes cases whose summary was published but not yet passed on; answers how many it passed on.</summary>
    public async Task<int> ResumePendingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var pending = await db.Consultations.Where(c => c.Status == ConsultationStatus.Summarized && !c.Resumed).OrderBy(c => c.Id).Take(Batch).ToListAsync(cancellationToken);
        var moved = 0;
        foreach (var consultation in pending)
        {
            await ResumeAsync(db, consultation, cancellationToken);
            moved += consultation.Resumed ? 1 : 0;
        }

        return moved;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consultation {ConsultationId}: its case {InstanceId} could not be resumed yet ({Status}); trying again later")]
    private static partial void LogNotResumed(ILogger logger, string consultationId, string instanceId, StepStatus status);
}
