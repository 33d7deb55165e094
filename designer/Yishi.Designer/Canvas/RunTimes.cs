using System.Globalization;

namespace Yishi.Designer.Canvas;

/// <summary>Times as community staff read them: Beijing time, which has no daylight saving, whatever the server's zone.</summary>
public static class RunTimes
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static string Short(DateTimeOffset at) => at.ToOffset(Beijing).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
