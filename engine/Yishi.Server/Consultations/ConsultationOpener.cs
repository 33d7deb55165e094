using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;
using Yishi.Server.Audit;
using Yishi.Server.Data;

namespace Yishi.Server.Consultations;

/// <summary>
/// Turns the engine's Consultation outbox rows into consultations residents can see. The consultation keeps the
/// row's id, so a row carried out twice (a crash before it was marked done, two server processes) makes it once.
/// </summary>
internal sealed class ConsultationOpener(IWorkflowStore store, IServiceScopeFactory scopes, AuditLog audit)
{
    private const int Batch = 20;

    /// <summary>Opens the pending consultations; answers how many rows it carried out.</summary>
    public async Task<int> OpenAsync(CancellationToken cancellationToken)
    {
        var rows = await store.ReadOutboxAsync(Batch, OutboxKinds.Consultation, cancellationToken);
        foreach (var row in rows)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
            if (!await db.Consultations.AnyAsync(c => c.Id == row.Id, cancellationToken))
            {
                var waits = await store.QueryBookmarksAsync(
                    new BookmarkQuery { Kind = BookmarkKind.Consultation, InstanceId = row.InstanceId, CorrelationKey = row.Id, Limit = 1 }, cancellationToken);
                db.Consultations.Add(From(row, waits is [var wait, ..] ? wait.Id : null));
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException)
                {
                    // Another server process made it first; anything else is a real failure.
                    if (!await ExistsAsync(row.Id, cancellationToken))
                    {
                        throw;
                    }
                }
            }

            // Checked apart from the insert: a crash between the two must not leave the opening unaudited.
            var subject = ConsultationEvents.Subject(row.Id);
            if (!await db.Audit.AnyAsync(a => a.Subject == subject && a.Kind == ConsultationEvents.Opened, cancellationToken))
            {
                var payload = row.Payload;
                await audit.AppendAsync(ConsultationEvents.Opened, subject, new JsonObject
                {
                    ["consultationId"] = row.Id,
                    ["instanceId"] = row.InstanceId,
                    ["kind"] = payload["kind"]?.DeepClone(),
                    ["scope"] = payload["scope"]?.DeepClone(),
                    ["opensAt"] = payload["opensAt"]?.DeepClone(),
                    ["closesAt"] = payload["closesAt"]?.DeepClone(),
                }, cancellationToken);
            }

            await store.CommitAsync([new WorkflowCommit { CompletedOutboxIds = [row.Id] }], cancellationToken);
        }

        return rows.Count;
    }

    private async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ServerDbContext>().Consultations.AnyAsync(c => c.Id == id, cancellationToken);
    }

    private static Consultation From(OutboxMessage row, string? bookmarkId)
    {
        var payload = row.Payload;
        string? Text(string name) => payload[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        var closesAt = payload["closesAt"]!.GetValue<DateTimeOffset>();
        var topic = Text("topic") ?? "";
        return new Consultation
        {
            Id = row.Id,
            InstanceId = row.InstanceId,
            ActivityId = Text("activityId") ?? "",
            DefinitionId = Text("definitionId") ?? "",
            DefinitionVersion = payload["definitionVersion"]?.GetValue<int>() ?? 0,
            Scope = Text("scope"),
            Topic = topic.Length <= 400 ? topic : topic[..400],
            Description = Text("description"),
            Kind = Text("kind") ?? ConsultationActivity.Opinions,
            Attachments = payload["attachments"]?.ToJsonString() ?? "[]",
            Questions = payload["questions"]?.ToJsonString() ?? "[]",
            SensitiveWords = payload["sensitiveWords"]?.ToJsonString() ?? "[]",
            ReportThreshold = payload["reportThreshold"]?.GetValue<int>() ?? ConsultationActivity.DefaultReportThreshold,
            OpensAt = payload["opensAt"]?.GetValue<DateTimeOffset>() ?? row.CreatedAt,
            ClosesAt = closesAt,
            ClosesAtMs = closesAt.ToUnixTimeMilliseconds(),
            Status = ConsultationStatus.Open,
            BookmarkId = bookmarkId,
        };
    }
}
