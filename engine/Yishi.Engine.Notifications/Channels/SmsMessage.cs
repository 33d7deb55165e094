namespace Yishi.Engine.Notifications.Channels;

/// <summary>
/// One text message to one phone. Chinese gateways accept only pre-approved templates, so a message carries either
/// free <see cref="Text"/> or a <see cref="TemplateCode"/> with its <see cref="Parameters"/> (or both: the gateway
/// adapter picks the form its provider takes).
/// </summary>
/// <param name="IdempotencyKey">Stable per (instance, activity, recipient, channel): the gateway drops a repeat.</param>
/// <param name="Phone">The number, as the recipient gave it (e.g. <c>13800001234</c> or <c>+8613800001234</c>).</param>
/// <param name="Text">The rendered text, if any.</param>
/// <param name="TemplateCode">The provider's pre-approved template code, if any.</param>
/// <param name="Parameters">The values of the pre-approved template's placeholders.</param>
public sealed record SmsMessage(string IdempotencyKey, string Phone, string? Text, string? TemplateCode, IReadOnlyDictionary<string, string> Parameters);

/// <summary>What became of one attempt to hand a message to a channel.</summary>
public abstract record SendOutcome
{
    private SendOutcome()
    {
    }

    /// <summary>Accepted (or accepted before, under the same idempotency key).</summary>
    public sealed record Sent(string? ProviderId) : SendOutcome;

    /// <summary>Not now (server down, rate limited): try again later, after <see cref="After"/> if given.</summary>
    public sealed record Retry(string Reason, TimeSpan? After = null) : SendOutcome;

    /// <summary>Never (bad number, template code refused): the message goes to the dead-letter list at once.</summary>
    public sealed record Failed(string Reason) : SendOutcome;
}

/// <summary>An SMS provider. Implementations never log the text, the parameters or the full phone number.</summary>
public interface ISmsGateway
{
    /// <summary>Hands one message to the provider; network and provider errors come back as <see cref="SendOutcome"/>, not exceptions.</summary>
    Task<SendOutcome> SendAsync(SmsMessage message, CancellationToken cancellationToken);
}
