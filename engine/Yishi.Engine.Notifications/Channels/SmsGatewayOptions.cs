using System.Text;

namespace Yishi.Engine.Notifications.Channels;

/// <summary>Which of the provider's two request forms <see cref="HttpSmsGateway"/> sends.</summary>
public enum SmsForm
{
    /// <summary>The template form when the message has a template code, the text form otherwise.</summary>
    Auto,

    /// <summary>Always the free text (providers that accept it, e.g. for a pilot or an internal number range).</summary>
    Text,

    /// <summary>Always a pre-approved template; a message without a template code fails at once.</summary>
    Template,
}

/// <summary>Where and how <see cref="HttpSmsGateway"/> reaches the SMS provider.</summary>
public sealed record SmsGatewayOptions
{
    /// <summary>The gateway's endpoint; messages fail (to the dead-letter list) while it is not set.</summary>
    public Uri? Url { get; init; }

    /// <summary>Names the shared secret, sent in <c>X-Yishi-Key-Id</c>, so the provider can rotate keys.</summary>
    public string KeyId { get; init; } = "";

    /// <summary>The HMAC-SHA256 key that signs every request. Never printed by <see cref="ToString"/>.</summary>
    public string Secret { get; init; } = "";

    /// <summary>The 短信签名 (e.g. <c>【幸福社区】</c>) Chinese providers require on every message.</summary>
    public string? SignName { get; init; }

    /// <summary>Which request form to send; <see cref="SmsForm.Auto"/> by default.</summary>
    public SmsForm Form { get; init; } = SmsForm.Auto;

    /// <summary>How long one attempt may take before it counts as "try again later".</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    // The compiler-made ToString would print the secret into any log that prints the options.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Url = ").Append(Url)
            .Append(", KeyId = ").Append(KeyId)
            .Append(", Secret = ").Append(Secret.Length == 0 ? "" : "***")
            .Append(", SignName = ").Append(SignName)
            .Append(", Form = ").Append(Form)
            .Append(", Timeout = ").Append(Timeout);
        return true;
    }
}
