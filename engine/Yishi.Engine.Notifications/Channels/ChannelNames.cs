namespace Yishi.Engine.Notifications.Channels;

/// <summary>The ways a notification reaches a person.</summary>
public static class ChannelNames
{
    /// <summary>The in-app inbox (a database row).</summary>
    public const string InApp = "inapp";

    /// <summary>Text message through the SMS gateway.</summary>
    public const string Sms = "sms";

    /// <summary>Email over SMTP.</summary>
    public const string Email = "email";

    /// <summary>Every channel.</summary>
    public static readonly IReadOnlyList<string> All = [InApp, Sms, Email];
}
