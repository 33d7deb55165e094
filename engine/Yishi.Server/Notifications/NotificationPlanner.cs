using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Engine.Notifications.Channels;
using Yishi.Engine.Notifications.Templates;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;
using Yishi.Server.Data;
using Yishi.Server.Timers;

namespace Yishi.Server.Notifications;

/// <summary>
/// Turns the engine's Notify outbox rows into deliveries: finds the recipients, picks each one's channels and
/// language, renders the pinned template version, and writes one delivery per (row, recipient, channel) — in-app
/// messages straight into the inbox. The deliveries are saved, in one transaction, before the outbox rows are
/// marked done; after a crash in between, the rows are planned again and the deliveries they already have are
/// skipped, so nobody gets a message twice. Rendering runs on every core: it is the bulk of the work.
/// </summary>
internal sealed partial class NotificationPlanner(IWorkflowStore store, IServiceScopeFactory scopes, TemplateCatalog templates, TemplateRenderer renderer,
    CaseTemplateData cases, OrgCalendars calendars, IOptions<NotificationOptions> options, TimeProvider clock, ILogger<NotificationPlanner> logger)
{
    private const int Batch = 100;

    /// <summary>Batches per call, so the other work of the notification loop (sending, documents) is not kept waiting.</summary>
    private const int BatchesPerCall = 10;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _unreadable = new(StringComparer.Ordinal);

    /// <summary>One message to render: a recipient on a channel, for one outbox row.</summary>
    private sealed record Work(OutboxMessage Row, string? ActivityId, PinnedTemplate Pinned, TemplateScope Data, Recipient Person, string Channel, string Key);

    /// <summary>
    /// Plans the pending Notify rows, a batch at a time, up to <see cref="BatchesPerCall"/> batches; answers how many
    /// rows it carried out. While one batch is saved (the database's work), the next is rendered (the processors'):
    /// the two overlap, so neither waits for the other. The rows of the batch being saved are skipped when the next
    /// batch is read, since they are still in the outbox until their save completes them.
    /// </summary>
    public async Task<int> PlanAsync(CancellationToken cancellationToken)
    {
        var planned = 0;
        var saving = Task.CompletedTask;
        var inFlight = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 0; round < BatchesPerCall; round++)
        {
            var rows = await ReadAsync(inFlight, cancellationToken);
            if (rows.Count == 0)
            {
                break;
            }

            var deliveries = await PrepareAsync(rows, cancellationToken);
            await saving;
            inFlight = rows.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            saving = SaveAsync(rows, deliveries, cancellationToken);
            planned += rows.Count;
        }

        await saving;
        return planned;
    }

    /// <summary>The next batch of rows that ask for messages, oldest first, without those being saved now.</summary>
    private async Task<List<OutboxMessage>> ReadAsync(HashSet<string> inFlight, CancellationToken cancellationToken)
    {
        var rows = new List<OutboxMessage>();
        foreach (var kind in NotifyRequest.Kinds)
        {
            rows.AddRange((await store.ReadOutboxAsync(Batch * 2, kind, cancellationToken)).Where(r => !inFlight.Contains(r.Id) && !_unreadable.ContainsKey(r.Id)));
        }

        return [.. rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Take(Batch)];
    }

    /// <summary>Finds the recipients of <paramref name="rows"/> and renders their messages, on every core.</summary>
    private async Task<Delivery[]> PrepareAsync(List<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var recipients = scope.ServiceProvider.GetRequiredService<Recipients>();
        var sourceIds = rows.Select(r => r.Id).ToList();
        var existing = (await db.Deliveries.AsNoTracking().Where(d => sourceIds.Contains(d.SourceId)).Select(d => d.IdempotencyKey).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var work = new List<Work>();
        foreach (var row in rows.ToList())
        {
            try
            {
                await CollectAsync(NotifyRequest.From(row), recipients, existing, work, cancellationToken);
            }
            catch (Exception exception) when (exception is InvalidOperationException or FormatException or KeyNotFoundException or NullReferenceException or JsonException)
            {
                // A row this server cannot read must not hold up every message behind it: it stays in the outbox
                // (for the next version, or for someone to look at) and this process leaves it alone.
                _unreadable.TryAdd(row.Id, 0);
                rows.Remove(row);
                LogUnreadable(logger, row.Id, row.Kind, exception);
            }
        }

        var now = clock.GetUtcNow();
        var deliveries = new Delivery[work.Count];
        Parallel.For(0, work.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => deliveries[i] = Render(work[i], now));
        return deliveries;
    }

    /// <summary>Saves the deliveries and in-app messages in one transaction, then marks the outbox rows done.</summary>
    private async Task SaveAsync(List<OutboxMessage> rows, Delivery[] deliveries, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var now = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Inbox.AddRange(deliveries.Where(d => d.Channel == ChannelNames.InApp && d.Status == DeliveryStatus.Sent).Select(d => InboxOf(d, now)));
            await db.SaveChangesAsync(cancellationToken);
            await DeliveryInserts.InsertAsync(db, deliveries, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // Only now is the work durable; marking the rows done before this could lose messages.
        await store.CommitAsync([new WorkflowCommit { CompletedOutboxIds = [.. rows.Select(r => r.Id)] }], cancellationToken);
    }

    private async Task CollectAsync(NotifyRequest request, Recipients recipients, HashSet<string> existing, List<Work> work, CancellationToken cancellationToken)
    {
        var row = request.Row;
        var people = await recipients.ResolveAsync(request.To, request.Variables, request.Scope, request.Row.InstanceId, cancellationToken);
        if (people.Count == 0)
        {
            LogNobody(logger, row.Id, request.Template);
            return;
        }

        var facts = await cases.FactsAsync(row.InstanceId, request.Scope, request.DefinitionId, request.DefinitionVersion, cancellationToken);
        // Per reader's locale, once per row: the template version and what it reads (people share a few locales).
        var byLocale = new Dictionary<string, (PinnedTemplate Pinned, TemplateScope Scope)?>(StringComparer.Ordinal);
        foreach (var person in people)
        {
            if (!byLocale.TryGetValue(person.Locale, out var found))
            {
                found = await templates.ForAsync(request.Template, person.Locale, request.DefinitionId, request.DefinitionVersion, cancellationToken) is { } version
                    ? (version, renderer.Scope(cases.For(facts, request.VariablesFor(version.Locale), request.At, version.Locale), version.Template))
                    : null;
                byLocale[person.Locale] = found;
            }

            if (found is not var (pinned, scope))
            {
                LogNoTemplate(logger, row.Id, request.Template);
                return;
            }

            foreach (var channel in person.ChannelsFor(request.Channels))
            {
                var idempotencyKey = $"{row.Id}:{person.Key}:{channel}";
                if (existing.Add(idempotencyKey))
                {
                    work.Add(new Work(row, request.ActivityId, pinned, scope, person, channel, idempotencyKey));
                }
            }
        }
    }

    private Delivery Render(Work work, DateTimeOffset now)
    {
        var (row, activityId, pinned, data, person, channel, key) = work;
        var rendered = renderer.Render(pinned.Template, data, new TemplateRecipient(person.Name, pinned.Locale, person.Staff), TemplateParts.For(channel));
        var delivery = DeliveryFactory.Create(row.Id, row.InstanceId, activityId, pinned, person, channel, key, rendered, now);
        if (rendered.Error is { } error)
        {
            // The template's mistake: the admins see it on the dead-letter list, with where it is, and nobody gets half a message.
            delivery.Status = DeliveryStatus.Dead;
            delivery.LastError = $"templates/{pinned.Key}/{pinned.Locale}.scriban{error}";
            LogRenderFailed(logger, row.Id, pinned.Key, error.Line, error.Column);
        }
        else if (channel == ChannelNames.InApp)
        {
            // Written to the inbox in the same transaction: delivered by being saved.
            delivery.Status = DeliveryStatus.Sent;
            delivery.SentAt = now.ToUnixTimeMilliseconds();
        }
        else if (channel == ChannelNames.Email && person is { DailyDigest: true, Staff: true })
        {
            delivery.Status = DeliveryStatus.Digest;
        }
        else if (channel == ChannelNames.Sms && !pinned.Template.Meta.Urgent)
        {
            var settings = options.Value;
            delivery.NextAttemptAt = QuietHours.NextAllowed(now, calendars.Base.Zone, settings.QuietFrom, settings.QuietUntil).ToUnixTimeMilliseconds();
        }

        return delivery;
    }

    private static InboxMessage InboxOf(Delivery delivery, DateTimeOffset now) => new()
    {
        Id = delivery.Id,
        UserId = delivery.UserId!,
        Kind = "notification:" + delivery.TemplateKey,
        Title = delivery.Subject ?? "",
        Body = delivery.Body,
        Link = delivery.InstanceId is { } instance ? $"/api/instances/{instance}" : null,
        DedupKey = delivery.IdempotencyKey,
        CreatedAt = now,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox row {RowId} ({Kind}) cannot be read as a message; left in the outbox and skipped until restart")]
    private static partial void LogUnreadable(ILogger logger, string rowId, string kind, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {RowId} ({Template}) has no recipients who can be reached; nothing sent")]
    private static partial void LogNobody(ILogger logger, string rowId, string template);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {RowId} names template {Template}, which does not exist; nothing sent")]
    private static partial void LogNoTemplate(ILogger logger, string rowId, string template);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {RowId}: template {Template} failed at ({Line},{Column}); the message is on the dead-letter list")]
    private static partial void LogRenderFailed(ILogger logger, string rowId, string template, int line, int column);
}
