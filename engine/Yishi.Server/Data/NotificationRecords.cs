namespace Yishi.Server.Data;

/// <summary>
/// One message to one person on one channel: the outbox the dispatcher works from. Written with the rendered text
/// when a Notify is planned, so a later template edit never changes it; sent once, by its idempotency key.
/// </summary>
public sealed class Delivery
{
    /// <summary>Version 7 id: sorts by creation on every provider.</summary>
    public required string Id { get; set; }

    /// <summary>(engine outbox row, recipient, channel): unique, and passed to the SMS gateway and into the email's Message-ID.</summary>
    public required string IdempotencyKey { get; set; }

    /// <summary>The engine outbox row (or other source) it came from: re-planning after a crash skips what exists.</summary>
    public required string SourceId { get; set; }

    public string? InstanceId { get; set; }

    public string? ActivityId { get; set; }

    /// <summary><c>inapp</c>, <c>sms</c> or <c>email</c>.</summary>
    public required string Channel { get; set; }

    /// <summary>The user id, or <c>contact:</c> and a hash for a contact without an account.</summary>
    public required string RecipientKey { get; set; }

    public string? UserId { get; set; }

    /// <summary>Phone or email address. Personal data: shown masked, never logged.</summary>
    public required string Address { get; set; }

    public required string Locale { get; set; }

    public required string TemplateKey { get; set; }

    public int TemplateVersion { get; set; }

    /// <summary>Email subject or in-app title.</summary>
    public string? Subject { get; set; }

    /// <summary>SMS text or email plain text.</summary>
    public required string Body { get; set; }

    public string? Html { get; set; }

    /// <summary>The pre-approved SMS template code and its parameters (JSON object), when the template has them.</summary>
    public string? SmsCode { get; set; }

    public string? SmsParams { get; set; }

    public bool Urgent { get; set; }

    /// <summary>See <see cref="DeliveryStatus"/>.</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }

    /// <summary>Unix ms: when it may next be tried (quiet hours and back-off move it later).</summary>
    public long NextAttemptAt { get; set; }

    /// <summary>Unix ms: a row being sent belongs to one dispatcher until then; after a crash it is tried again.</summary>
    public long LeaseUntil { get; set; }

    public string? LastError { get; set; }

    public string? ProviderId { get; set; }

    public long CreatedAt { get; set; }

    public long? SentAt { get; set; }
}

/// <summary>The states of a <see cref="Delivery"/>.</summary>
public static class DeliveryStatus
{
    /// <summary>Waiting for its time (now, after quiet hours, after a back-off).</summary>
    public const string Pending = "pending";

    /// <summary>Claimed by a dispatcher; if its lease runs out (a crash), it is tried again under the same key.</summary>
    public const string Sending = "sending";

    public const string Sent = "sent";

    /// <summary>Failed for good or too often: on the admins' dead-letter list until retried.</summary>
    public const string Dead = "dead";

    /// <summary>An email for someone who chose the daily digest: it waits to be gathered into the digest.</summary>
    public const string Digest = "digest";

    /// <summary>Gathered into a digest email (which is its own delivery).</summary>
    public const string Digested = "digested";
}

/// <summary>A document a case produced (e.g. a mediation agreement): its HTML and PDF, and who generated it.</summary>
public sealed class CaseDocument
{
    /// <summary>The Document activity's outbox row id, which the workflow already knows.</summary>
    public required string Id { get; set; }

    public required string InstanceId { get; set; }

    public required string ActivityId { get; set; }

    public required string TemplateKey { get; set; }

    public int TemplateVersion { get; set; }

    public required string Locale { get; set; }

    public required string Title { get; set; }

    /// <summary>The complete page, with its print stylesheet.</summary>
    public required string Html { get; set; }

    public byte[]? Pdf { get; set; }

    /// <summary>Why there is no PDF (e.g. Chromium is not installed); the HTML is still there to print.</summary>
    public string? PdfError { get; set; }

    /// <summary>The person (or <c>system</c>) whose step produced it.</summary>
    public required string GeneratedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A one-time code sent by SMS to sign in or reset a password. Only a keyed hash of the code is kept.</summary>
public sealed class OneTimeCode
{
    public required string Id { get; set; }

    public required string UserId { get; set; }

    /// <summary><c>signin</c> or <c>reset</c>.</summary>
    public required string Purpose { get; set; }

    /// <summary>HMAC-SHA256 of the code with a server key, hex.</summary>
    public required string CodeHash { get; set; }

    public int Attempts { get; set; }

    /// <summary>Unix ms.</summary>
    public long ExpiresAt { get; set; }

    public long CreatedAt { get; set; }

    /// <summary>Unix ms, once used (a code works once).</summary>
    public long? UsedAt { get; set; }
}
