using System.Net;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace Yishi.Engine.Notifications.Templates;

/// <summary>
/// A Scriban context that also carries what Yishi's functions need (the zone, the calendar, the time) and, for HTML
/// parts, escapes everything a <c>{{ }}</c> prints, so a resident's name like <c>&lt;script&gt;</c> stays text. The
/// values themselves stay as they are: functions such as <c>mask_name</c> see the real text, not entities.
/// </summary>
internal sealed class RenderContext(ScriptObject builtins) : TemplateContext(builtins)
{
    private bool _escapeHtml;
    private int _globals;

    public TemplateData Data { get; private set; } = null!;

    /// <summary>Readies the context for one part: the data, whether output is HTML, and the time limit.</summary>
    public void Begin(TemplateData data, bool escapeHtml, CancellationToken cancellationToken)
    {
        Data = data;
        _escapeHtml = escapeHtml;
        CancellationToken = cancellationToken;
    }

    /// <summary>Counts the globals pushed, so <see cref="End"/> can take them all off again.</summary>
    public new void PushGlobal(IScriptObject global)
    {
        base.PushGlobal(global);
        _globals++;
    }

    /// <summary>Takes off what <see cref="Begin"/> and the pushes put on, so the next part starts clean.</summary>
    public void End()
    {
        for (; _globals > 0; _globals--)
        {
            PopGlobal();
        }

        Data = null!;
        CancellationToken = CancellationToken.None;
    }

    public override TemplateContext Write(SourceSpan span, object? textAsObject) =>
        _escapeHtml && textAsObject is not (TrustedHtml or null)
            ? base.Write(span, WebUtility.HtmlEncode(ObjectToString(textAsObject)))
            : base.Write(span, textAsObject);
}

/// <summary>Markup the template system itself produced (an include's output), printed without escaping.</summary>
internal sealed record TrustedHtml(string Html)
{
    public override string ToString() => Html;
}
