using System.Text.Json.Nodes;
using Yishi.Engine.Time;

namespace Yishi.Engine.Notifications.Templates;

/// <summary>
/// What one notification (or document) is about, the same for all its recipients: the case's variables, its org
/// unit, links and the time. Templates read the variables by name and the rest as <c>instance</c>, <c>org</c>,
/// <c>links</c> and <c>now</c>.
/// </summary>
/// <param name="Variables">The case's variables when the Notify ran.</param>
/// <param name="Now">When it ran (the engine's clock).</param>
public sealed record TemplateData(JsonObject Variables, DateTimeOffset Now)
{
    /// <summary><c>instance.id</c>, <c>instance.workflow</c> (its name in the reader's language) and <c>instance.no</c>.</summary>
    public JsonObject Instance { get; init; } = [];

    /// <summary><c>org.id</c> and <c>org.name</c>: the case's org unit.</summary>
    public JsonObject Org { get; init; } = [];

    /// <summary><c>links.case</c>, <c>links.inbox</c>…: absolute URLs in Yishi.</summary>
    public JsonObject Links { get; init; } = [];

    /// <summary>The time zone dates are shown in.</summary>
    public TimeZoneInfo Zone { get; init; } = WorkingCalendar.China.Zone;

    /// <summary>The calendar <c>working_days_left</c> counts with.</summary>
    public IWorkingCalendar Calendar { get; init; } = WorkingCalendar.China;
}

/// <summary>The person a rendering is for: templates read it as <c>recipient</c>.</summary>
/// <param name="Name">Their name (templates mask it: <c>{{ mask_name recipient.name }}</c>).</param>
/// <param name="Locale"><c>zh-CN</c> or <c>en</c>.</param>
/// <param name="Staff">Whether they are staff (a template may word things differently).</param>
public sealed record TemplateRecipient(string Name, string Locale, bool Staff = false);
