namespace Yishi.Engine.Notifications.Templates;

/// <summary>
/// The parts of a template file. A message template has one part per channel; a document template has a title and
/// its HTML. Each part starts with a header line <c>--- name ---</c>.
/// </summary>
public static class TemplateParts
{
    /// <summary>Settings, <c>key: value</c> lines, not rendered: <c>urgent</c>, <c>sms-code</c>, <c>kind</c>.</summary>
    public const string Meta = "meta";

    /// <summary>Sample data (a JSON object of variables) for the preview and the golden tests; not rendered.</summary>
    public const string Sample = "sample";

    /// <summary>In-app title; also the document's title.</summary>
    public const string Title = "title";

    /// <summary>In-app text.</summary>
    public const string Body = "body";

    /// <summary>SMS text: 70 Chinese characters fit one segment.</summary>
    public const string Sms = "sms";

    /// <summary>The parameters of a pre-approved SMS template, <c>name: value</c> lines (rendered).</summary>
    public const string SmsParams = "sms-params";

    /// <summary>Email subject.</summary>
    public const string Subject = "subject";

    /// <summary>Email HTML; also a document's body. Values are HTML-escaped before they reach it.</summary>
    public const string Html = "html";

    /// <summary>Email plain text.</summary>
    public const string Text = "text";

    /// <summary>Every part name, in the order a file usually has them.</summary>
    public static readonly IReadOnlyList<string> All = [Meta, Sample, Title, Body, Sms, SmsParams, Subject, Html, Text];

    /// <summary>The parts rendered with Scriban.</summary>
    public static readonly IReadOnlyList<string> Rendered = [Title, Body, Sms, SmsParams, Subject, Html, Text];

    /// <summary>The parts a channel needs.</summary>
    public static IReadOnlyList<string> For(string channel) => channel switch
    {
        Channels.ChannelNames.InApp => [Title, Body],
        Channels.ChannelNames.Sms => [Sms, SmsParams],
        Channels.ChannelNames.Email => [Subject, Html, Text],
        _ => [],
    };
}
