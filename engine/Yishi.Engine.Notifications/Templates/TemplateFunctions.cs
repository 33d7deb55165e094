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

    /// <summary>
    /// The functions, as a read-only object shared by every rendering. Imported as static methods, not delegates:
    /// Scriban calls a delegate through reflection (DynamicInvoke), which showed in the notify benchmark's profile.
    /// </summary>
    public static ScriptObject Create()
    {
        var functions = new ScriptObject();
        functions.Import(typeof(Functions), ScriptMemberImportFlags.Method, filter: null, renamer: null);
        functions.IsReadOnly = true;
        return functions;
    }

    /// <summary>The functions themselves; Scriban's renamer gives them their snake_case names (MaskPhone → mask_phone).</summary>
    private static class Functions
    {
        public static string MaskPhone(object? value) => Masking.Phone(Text(value)) ?? "";

        public static string MaskName(object? value) => Masking.Name(Text(value) ?? "");

        public static string MaskId(object? value) => Masking.IdNumber(Text(value) ?? "");

        public static string DateCn(TemplateContext context, object? value) => Local(context, value) is { } d ? $"{d.Year}年{d.Month}月{d.Day}日" : "";

        public static string DatetimeCn(TemplateContext context, object? value) => Local(context, value) is { } d ? $"{d.Year}年{d.Month}月{d.Day}日 {d:HH:mm}" : "";

        public static string WeekdayCn(TemplateContext context, object? value) => Local(context, value) is { } d ? Weekdays[(int)d.DayOfWeek] : "";

        public static string DateEn(TemplateContext context, object? value) => Local(context, value) is { } d ? d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) : "";

        public static string DatetimeEn(TemplateContext context, object? value) =>
            Local(context, value) is { } d ? d.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) : "";

        public static int WorkingDaysLeft(TemplateContext context, object? deadline) => TemplateFunctions.WorkingDaysLeft(context, deadline);
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
