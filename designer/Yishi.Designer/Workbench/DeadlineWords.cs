using System.Globalization;
using Yishi.Designer.Api;

namespace Yishi.Designer.Workbench;

/// <summary>How the workbench words deadlines and risks, in the page's language.</summary>
public static class DeadlineWords
{
    /// <summary>"还剩 3 个工作日" / "3 working days left", "今天到期" / "due today", "已超期 2 个工作日" / "2 working days overdue".</summary>
    public static string Left(Countdown countdown, PageText text)
    {
        var days = Math.Abs(countdown.WorkingDaysLeft);
        if (countdown.Overdue)
        {
            return days == 0 ? text.T("已超期（今天到期）", "Overdue (was due today)")
                : text.T($"已超期 {days} 个工作日", days == 1 ? "1 working day overdue" : $"{days} working days overdue");
        }

        return days == 0 ? text.T("今天到期", "Due today") : text.T($"还剩 {days} 个工作日", days == 1 ? "1 working day left" : $"{days} working days left");
    }

    /// <summary>The deadline in the case calendar's time zone (Beijing time for China), e.g. "2026-12-03 17:00 (北京时间)".</summary>
    public static string Due(Countdown countdown, PageText text) =>
        countdown.DueLocal.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + text.T("（北京时间）", "(Beijing time)");

    /// <summary>A time as the page shows it: in Beijing time, the zone every case calendar shipped uses.</summary>
    public static string When(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Risk(string level, PageText text) => level switch
    {
        "high" => text.T("高风险", "High risk"),
        "medium" => text.T("中风险", "Medium risk"),
        "low" => text.T("低风险", "Low risk"),
        _ => level,
    };

    public static string Status(string status, PageText text) => status switch
    {
        "Running" => text.T("办理中", "Running"),
        "Waiting" => text.T("等待办理", "Waiting"),
        "Completed" => text.T("已办结", "Closed"),
        "Cancelled" => text.T("已撤销", "Withdrawn"),
        "Faulted" => text.T("出错待处理", "Faulted"),
        _ => status,
    };
}
