using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Engine.Notifications.Channels;
using Yishi.Server.Data;
using Yishi.Server.Identity;

namespace Yishi.Server.Notifications;

/// <summary>
/// The notification channels as configured (read-only: they are set in the server's configuration), for administrators,
/// with the recent deliveries per channel. Secrets (the SMS key, the SMTP password, user names) are never in the answer.
/// </summary>
internal static class ChannelEndpoints
{
    /// <summary>How far back <see cref="ChannelView.Recent"/> counts.</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromDays(7);

    /// <param name="Name"><c>inapp</c>, <c>sms</c> or <c>email</c>.</param>
    /// <param name="Enabled">Whether messages can go out on it (SMS needs a gateway URL, email an SMTP host).</param>
    /// <param name="Server">The SMS gateway's host or the SMTP host and port; null when not configured.</param>
    /// <param name="Sender">The SMS signature (短信签名) or the email From address.</param>
    /// <param name="PerSecond">The most messages sent per second.</param>
    /// <param name="QuietHours">Whether quiet hours hold non-urgent messages (SMS only).</param>
    /// <param name="Recent">Deliveries created in the last 7 days, by status (pending, sending, sent, dead, digest).</param>
    public sealed record ChannelView(string Name, bool Enabled, string? Server, string? Sender, int? PerSecond, bool QuietHours, IReadOnlyDictionary<string, int> Recent);

    /// <param name="QuietFrom">Quiet hours begin (local time).</param>
    /// <param name="QuietUntil">Quiet hours end.</param>
    /// <param name="MaxAttempts">Tries before a delivery goes to the dead-letter list.</param>
    /// <param name="Channels">Each channel.</param>
    public sealed record ChannelsView(TimeOnly QuietFrom, TimeOnly QuietUntil, int MaxAttempts, IReadOnlyList<ChannelView> Channels);

    public static IEndpointRouteBuilder MapChannelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/channels", GetAsync).RequireAuthorization(Policies.Admin).WithTags("Admin").WithName("ListChannels")
            .WithSummary("The notification channels as configured (no secrets) and their deliveries of the last 7 days by status.")
            .Produces<ChannelsView>();
        return app;
    }

    private static async Task<IResult> GetAsync(ServerDbContext db, IOptions<NotificationOptions> notifications, IOptions<EmailOptions> email, IServiceProvider services,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var since = (clock.GetUtcNow() - RecentWindow).ToUnixTimeMilliseconds();
        var counts = await db.Deliveries.AsNoTracking().Where(d => d.CreatedAt >= since).GroupBy(d => new { d.Channel, d.Status })
            .Select(g => new { g.Key.Channel, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
        IReadOnlyDictionary<string, int> Recent(string channel) => counts.Where(c => c.Channel == channel).ToDictionary(c => c.Status, c => c.Count);

        var options = notifications.Value;
        // The SMS options are registered only with a gateway URL; the URL's host alone, as its path or query may carry an account.
        var sms = services.GetService<IOptions<SmsGatewayOptions>>()?.Value;
        var smtp = email.Value;
        return TypedResults.Ok(new ChannelsView(options.QuietFrom, options.QuietUntil, options.MaxAttempts,
        [
            new ChannelView(ChannelNames.InApp, true, null, null, null, false, Recent(ChannelNames.InApp)),
            new ChannelView(ChannelNames.Sms, sms?.Url is not null, sms?.Url?.Host, sms?.SignName, options.SmsPerSecond, true, Recent(ChannelNames.Sms)),
            new ChannelView(ChannelNames.Email, !string.IsNullOrWhiteSpace(smtp.Host), string.IsNullOrWhiteSpace(smtp.Host) ? null : $"{smtp.Host}:{smtp.Port}",
                smtp.From, options.EmailsPerSecond, false, Recent(ChannelNames.Email)),
        ]));
    }
}
