namespace Yishi.Server.Notifications;

/// <summary>The <c>Yishi:Notifications</c> settings.</summary>
public sealed class NotificationOptions
{
    /// <summary>The address people reach Yishi at; links in messages start with it.</summary>
    public string PublicUrl { get; set; } = "http://localhost:5080";

    /// <summary>No SMS from this local time (unless the template is urgent)…</summary>
    public TimeOnly QuietFrom { get; set; } = new(22, 0);

    /// <summary>…until this one.</summary>
    public TimeOnly QuietUntil { get; set; } = new(8, 0);

    /// <summary>Tries before a message goes to the dead-letter list.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first wait after a failure; it doubles with each further failure.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between tries.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a dispatcher owns a message it is sending; after a crash the message is tried again after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the dispatcher looks for due messages when it has none.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Most SMS per second (providers throttle and bill per message).</summary>
    public int SmsPerSecond { get; set; } = 20;

    /// <summary>Most emails per second.</summary>
    public int EmailsPerSecond { get; set; } = 10;

    /// <summary>Local time the daily digest goes out.</summary>
    public TimeOnly DigestAt { get; set; } = new(17, 30);
}
