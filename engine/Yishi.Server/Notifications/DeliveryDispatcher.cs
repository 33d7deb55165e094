using System.Collections.Frozen;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Engine.Notifications.Channels;
using Yishi.Engine.Privacy;
using Yishi.Server.Data;

namespace Yishi.Server.Notifications;

/// <summary>
/// Sends due deliveries by SMS and email. A delivery is claimed with a lease before it is sent, so with several
/// servers each message is sent by one; if the process dies after handing a message over but before marking it
/// sent, the lease runs out and it is sent again under the same idempotency key (the SMS gateway drops the
/// repeat; an email keeps its Message-ID). Failures are retried with exponential back-off, and after
/// <see cref="NotificationOptions.MaxAttempts"/> tries, or a permanent refusal, the delivery goes to the
/// dead-letter list that admins see. Each channel has its own rate limit.
/// </summary>
internal sealed partial class DeliveryDispatcher : IDisposable
{
    private const int Batch = 50;
    private readonly IServiceScopeFactory _scopes;
    private readonly EmailSender _email;
    private readonly ISmsGateway? _sms;
    private readonly NotificationOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<DeliveryDispatcher> _logger;
    private readonly FrozenDictionary<string, RateLimiter> _limits;

    public DeliveryDispatcher(IServiceScopeFactory scopes, EmailSender email, IEnumerable<ISmsGateway> sms, IOptions<NotificationOptions> options, TimeProvider clock,
        ILogger<DeliveryDispatcher> logger)
    {
        _scopes = scopes;
        _email = email;
        _sms = sms.FirstOrDefault();
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _limits = new Dictionary<string, RateLimiter>
        {
            [ChannelNames.Sms] = PerSecond(_options.SmsPerSecond),
            [ChannelNames.Email] = PerSecond(_options.EmailsPerSecond),
        }.ToFrozenDictionary();
    }

    /// <summary>Sends what is due now; answers how many deliveries it tried.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var due = await db.Deliveries.AsNoTracking()
            .Where(d => (d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now) || (d.Status == DeliveryStatus.Sending && d.LeaseUntil <= now))
            .OrderBy(d => d.NextAttemptAt).Take(Batch).ToListAsync(cancellationToken);
        foreach (var delivery in due)
        {
            if (_limits.TryGetValue(delivery.Channel, out var limit))
            {
                using var lease = await limit.AcquireAsync(1, cancellationToken);
            }

            if (!await ClaimAsync(db, delivery, cancellationToken))
            {
                continue;
            }

            var outcome = await SendAsync(delivery, cancellationToken);
            await RecordAsync(db, delivery, outcome, cancellationToken);
        }

        return due.Count;
    }

    private async Task<bool> ClaimAsync(ServerDbContext db, Delivery delivery, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var leaseUntil = (now + _options.Lease).ToUnixTimeMilliseconds();
        // Conditional on what was read: another server that claimed it first changed the attempts or the status.
        var claimed = await db.Deliveries
            .Where(d => d.Id == delivery.Id && d.Status == delivery.Status && d.Attempts == delivery.Attempts)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sending).SetProperty(d => d.LeaseUntil, leaseUntil)
                .SetProperty(d => d.Attempts, delivery.Attempts + 1), cancellationToken);
        delivery.Attempts++;
        return claimed == 1;
    }

    private async Task<SendOutcome> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        switch (delivery.Channel)
        {
            case ChannelNames.Sms when _sms is null:
                return new SendOutcome.Retry("No SMS gateway is configured (Yishi:Sms:Url).");
            case ChannelNames.Sms:
                var parameters = delivery.SmsParams is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(delivery.SmsParams)!;
                return await _sms.SendAsync(new SmsMessage(delivery.IdempotencyKey, delivery.Address, delivery.Body, delivery.SmsCode, parameters), cancellationToken);
            case ChannelNames.Email:
                return await _email.SendAsync(new EmailMessage(delivery.IdempotencyKey, delivery.Address, delivery.Subject ?? "", delivery.Html, delivery.Body), cancellationToken);
            default:
                return new SendOutcome.Failed($"'{delivery.Channel}' is not a channel the dispatcher sends on.");
        }
    }

    private async Task RecordAsync(ServerDbContext db, Delivery delivery, SendOutcome outcome, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        switch (outcome)
        {
            case SendOutcome.Sent sent:
                await db.Deliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sent)
                    .SetProperty(d => d.SentAt, now.ToUnixTimeMilliseconds()).SetProperty(d => d.ProviderId, sent.ProviderId).SetProperty(d => d.LastError, (string?)null), cancellationToken);
                break;
            case SendOutcome.Retry retry when delivery.Attempts < _options.MaxAttempts:
                var wait = Backoff(delivery.Attempts, retry.After);
                await db.Deliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Pending)
                    .SetProperty(d => d.NextAttemptAt, (now + wait).ToUnixTimeMilliseconds()).SetProperty(d => d.LastError, Shorten(retry.Reason)), cancellationToken);
                LogRetry(_logger, delivery.Channel, delivery.Id, delivery.Attempts, wait.TotalSeconds, Masking.Scrub(retry.Reason));
                break;
            default:
                var reason = outcome is SendOutcome.Failed failed ? failed.Reason : ((SendOutcome.Retry)outcome).Reason;
                await db.Deliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Dead)
                    .SetProperty(d => d.LastError, Shorten(reason)), cancellationToken);
                LogDead(_logger, delivery.Channel, delivery.Id, Masking.Phone(delivery.Channel == ChannelNames.Sms ? delivery.Address : null) ?? "", delivery.Attempts, Masking.Scrub(reason));
                break;
        }
    }

    /// <summary>The wait before try number <paramref name="attempts"/> + 1: doubling from the first wait, capped, or longer if the provider asked.</summary>
    public TimeSpan Backoff(int attempts, TimeSpan? asked)
    {
        var doubled = _options.RetryAfter * Math.Pow(2, Math.Min(attempts - 1, 20));
        var wait = doubled < _options.MaxRetryAfter ? doubled : _options.MaxRetryAfter;
        return asked is { } after && after > wait ? after : wait;
    }

    public void Dispose()
    {
        foreach (var limit in _limits.Values)
        {
            limit.Dispose();
        }
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500];

    private static TokenBucketRateLimiter PerSecond(int count) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = Math.Max(1, count),
        TokensPerPeriod = Math.Max(1, count),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = int.MaxValue,
        AutoReplenishment = true,
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Channel} delivery {DeliveryId} failed (try {Attempts}); trying again in {Seconds} s: {Reason}")]
    private static partial void LogRetry(ILogger logger, string channel, string deliveryId, int attempts, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Channel} delivery {DeliveryId} to {MaskedPhone} is on the dead-letter list after {Attempts} tries: {Reason}")]
    private static partial void LogDead(ILogger logger, string channel, string deliveryId, string maskedPhone, int attempts, string reason);
}
