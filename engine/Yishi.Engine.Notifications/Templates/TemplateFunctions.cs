using System.Globalization;
using Scriban;
using Scriban.Runtime;
using Yishi.Engine.Privacy;

namespace Yishi.Engine.Notifications.Templates;

/// <summary>
/// The functions Yishi adds to templates: masking personal data, dates as Chinese and English readers write them
/// (in the configured zone), and working days left before a deadline.
/// </summary>
internal static class TemplateFunctions
{
    private static readonly string[] Weekdays = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];

    /// <summary>The functions, as a read-only object shared by every rendering.</summary>
    public static ScriptObject Create()
    {
        var functions = new ScriptObject();
        functions.Import("mask_phone", new Func<object?, string>(value => Masking.Phone(Text(value)) ?? ""));
        functions.Import("mask_name", new Func<object?, string>(value => Masking.Name(Text(value) ?? "")));
        functions.Import("mask_id", new Func<object?, string>(value => Masking.IdNumber(Text(value) ?? "")));
        functions.Import("date_cn", new Func<TemplateContext, object?, string>((context, value) =>
            Local(context, value) is { } d ? $"{d.Year}年{d.Month}月{d.Day}日" : ""));
        functions.Import("datetime_cn", new Func<TemplateContext, object?, string>((context, value) =>
            Local(context, value) is { } d ? $"{d.Year}年{d.Month}月{d.Day}日 {d:HH:mm}" : ""));
        functions.Import("weekday_cn", new Func<TemplateContext, object?, string>((context, value) =>
            Local(context, value) is { } d ? Weekdays[(int)d.DayOfWeek] : ""));
        functions.Import("date_en", new Func<TemplateContext, object?, string>((context, value) =>
            Local(context, value) is { } d ? d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) : ""));
        functions.Import("datetime_en", new Func<TemplateContext, object?, string>((context, value) =>
            Local(context, value) is { } d ? d.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) : ""));
        functions.Import("working_days_left", new Func<TemplateContext, object?, int>(WorkingDaysLeft));
        functions.IsReadOnly = true;
        return functions;
    }

    /// <summary>The names above, so design-time checks do not mistake them for variables.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "mask_phone", "mask_name", "mask_id", "date_cn", "datetime_cn", "weekday_cn", "date_en", "datetime_en", "working_days_left",
    };

    /// <summary>
    /// Working days from today (in the case's zone) up to and including the deadline's day; 0 once it has passed.
    /// Counts with the case's org-unit calendar, holidays and adjusted working days included.
    /// </summary>
    private static int WorkingDaysLeft(TemplateContext context, object? deadline)
    {
        var render = (RenderContext)context;
        if (Instant(deadline) is not { } due)
        {
            return 0;
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(render.Data.Now, render.Data.Zone).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(due, render.Data.Zone).DateTime);
        return render.Data.Calendar.CountWorkingDays(today, last);
    }

    private static DateTime? Local(TemplateContext context, object? value) =>
        Instant(value) is { } instant ? TimeZoneInfo.ConvertTime(instant, ((RenderContext)context).Data.Zone).DateTime : null;

    private static DateTimeOffset? Instant(object? value) => value switch
    {
        DateTimeOffset offset => offset,
        DateTime time => new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time),
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
        _ => null,
    };

    private static string? Text(object? value) => value switch
    {
        null => null,
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
