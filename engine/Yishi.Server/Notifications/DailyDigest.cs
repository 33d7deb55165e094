using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Engine.Notifications.Channels;
using Yishi.Engine.Notifications.Templates;
using Yishi.Server.Data;
using Yishi.Server.Timers;

namespace Yishi.Server.Notifications;

/// <summary>
/// Gathers the emails of staff who chose the daily digest into one email each, at <see cref="NotificationOptions.DigestAt"/>
/// local time: every waiting email created before that moment goes into that day's digest. The digest and the
/// gathered rows are saved in one transaction, and the digest's key is the person and the day, so a crash or a
/// second server never makes two.
/// </summary>
internal sealed partial class DailyDigest(IServiceScopeFactory scopes, TemplateCatalog templates, TemplateRenderer renderer, OrgCalendars calendars,
    IOptions<NotificationOptions> options, TimeProvider clock, ILogger<DailyDigest> logger)
{
    /// <summary>The template a digest is written with.</summary>
    public const string TemplateKey = "digest/daily";

    /// <summary>Makes the digests due at <paramref name="now"/> (the digest time of that day or the day before); answers how many.</summary>
    public async Task<int> CollectAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var zone = calendars.Base.Zone;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromDateTime(local.DateTime) < options.Value.DigestAt)
        {
            day = day.AddDays(-1);
        }

        var cutoffLocal = day.ToDateTime(options.Value.DigestAt);
        var cutoff = new DateTimeOffset(cutoffLocal, zone.GetUtcOffset(cutoffLocal)).ToUnixTimeMilliseconds();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var waiting = await db.Deliveries.Where(d => d.Status == DeliveryStatus.Digest && d.CreatedAt <= cutoff).ToListAsync(cancellationToken);
        var made = 0;
        foreach (var person in waiting.GroupBy(d => (d.UserId ?? d.RecipientKey, d.Address)))
        {
            var key = $"digest:{person.Key.Item1}:{day:yyyy-MM-dd}";
            if (await db.Deliveries.AnyAsync(d => d.IdempotencyKey == key, cancellationToken))
            {
                key += ":" + person.Max(d => d.CreatedAt).ToString(CultureInfo.InvariantCulture);
            }

            var items = person.OrderBy(d => d.CreatedAt).ToList();
            var locale = items[0].Locale;
            var pinned = await templates.LatestAsync(TemplateKey, locale, cancellationToken);
            if (pinned is null)
            {
                LogNoTemplate(logger, TemplateKey);
                return made;
            }

            var data = new TemplateData(new JsonObject
            {
                ["count"] = items.Count,
                ["items"] = new JsonArray([.. items.Select(d => (JsonNode)new JsonObject
                {
                    ["title"] = d.Subject, ["body"] = d.Body, ["at"] = DateTimeOffset.FromUnixTimeMilliseconds(d.CreatedAt),
                    ["link"] = d.InstanceId is null ? null : $"{options.Value.PublicUrl.TrimEnd('/')}/me/cases/{d.InstanceId}",
                })]),
            }, now) { Zone = zone, Calendar = calendars };
            var rendered = renderer.Render(pinned.Template, renderer.Scope(data), new TemplateRecipient("", pinned.Locale, Staff: true), TemplateParts.For(ChannelNames.Email));
            var recipient = new Recipient(items[0].RecipientKey, "", pinned.Locale, true, items[0].UserId, null, person.Key.Address, [ChannelNames.Email], false);
            var digest = DeliveryFactory.Create(key, null, null, pinned, recipient, ChannelNames.Email, key, rendered, clock.GetUtcNow());
            if (rendered.Error is { } error)
            {
                digest.Status = DeliveryStatus.Dead;
                digest.LastError = $"templates/{pinned.Key}/{pinned.Locale}.scriban{error}";
            }

            db.Deliveries.Add(digest);
            foreach (var item in items)
            {
                item.Status = DeliveryStatus.Digested;
            }

            made++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return made;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The daily digest needs the template {Template}, which does not exist; digests wait")]
    private static partial void LogNoTemplate(ILogger logger, string template);
}
