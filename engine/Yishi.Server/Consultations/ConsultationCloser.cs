using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Server.Audit;
using Yishi.Server.Data;

namespace Yishi.Server.Consultations;

/// <summary>
/// Closes consultations: all whose closing time has passed by the server's clock, found by one query per poll,
/// and single ones staff close early. Closing freezes the counts and writes them to the audit chain.
/// </summary>
internal sealed class ConsultationCloser(IServiceScopeFactory scopes, AuditLog audit, TimeProvider clock)
{
    private const int Batch = 50;

    /// <summary>Closes what is due; answers how many it found due.</summary>
    public async Task<int> CloseDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var due = await db.Consultations.Where(c => c.Status == ConsultationStatus.Open && c.ClosesAtMs <= now)
            .OrderBy(c => c.ClosesAtMs).Take(Batch).ToListAsync(cancellationToken);
        foreach (var consultation in due)
        {
            await CloseAsync(db, consultation, "system", early: false, cancellationToken);
        }

        return due.Count;
    }

    /// <summary>
    /// Closes an open consultation tracked by <paramref name="db"/>; false when it was not open or another request or
    /// server process closed it first (then only that one audits the close).
    /// </summary>
    public async Task<bool> CloseAsync(ServerDbContext db, Consultation consultation, string by, bool early, CancellationToken cancellationToken)
    {
        if (consultation.Status != ConsultationStatus.Open)
        {
            return false;
        }

        var tally = await ConsultationTally.CountAsync(db, consultation, cancellationToken);
        consultation.Status = ConsultationStatus.Closed;
        consultation.ClosedAt = clock.GetUtcNow();
        consultation.ClosedBy = by;
        consultation.Tally = tally.ToJsonString();
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

        await audit.AppendAsync(ConsultationEvents.Closed, ConsultationEvents.Subject(consultation.Id), new JsonObject
        {
            ["consultationId"] = consultation.Id,
            ["early"] = early,
            ["by"] = by,
            ["closesAt"] = consultation.ClosesAt,
            ["tally"] = tally.DeepClone(),
        }, cancellationToken);
        return true;
    }
}
