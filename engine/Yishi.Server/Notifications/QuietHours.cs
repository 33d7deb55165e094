namespace Yishi.Server.Notifications;

/// <summary>The night hours in which no SMS goes out unless it is urgent.</summary>
internal static class QuietHours
{
    /// <summary><paramref name="now"/>, or the end of the quiet hours when <paramref name="now"/> falls inside them (local time).</summary>
    public static DateTimeOffset NextAllowed(DateTimeOffset now, TimeZoneInfo zone, TimeOnly from, TimeOnly until)
    {
        if (from == until)
        {
            return now;
        }

        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        // A window across midnight (22:00–08:00) or within one day (13:00–14:00).
        var quiet = from < until ? time >= from && time < until : time >= from || time < until;
        if (!quiet)
        {
            return now;
        }

        var day = DateOnly.FromDateTime(local.DateTime);
        var end = day.ToDateTime(until);
        if (time >= until)
        {
            end = end.AddDays(1);
        }

        return new DateTimeOffset(end, zone.GetUtcOffset(end));
    }
}
