namespace Yishi.Designer.Workbench.Ballots;

/// <summary>How the ballot pages name a ballot's states, a batch's states and how someone voted.</summary>
public static class BallotWords
{
    public static string Status(PageText text, string status) => status switch
    {
        "notice" => text.T("公示中，未开始", "Notice given, not open yet"),
        "open" => text.T("投票中", "Open"),
        "closed" => text.T("已截止", "Closed"),
        "cancelled" => text.T("已取消", "Cancelled"),
        _ => status,
    };

    public static string Batch(PageText text, string status) => status switch
    {
        "pending" => text.T("待第二名工作人员核对", "Waiting for a second officer"),
        "confirmed" => text.T("已确认，已计票", "Confirmed and counted"),
        "rejected" => text.T("已退回，需重新录入", "Rejected; enter it again"),
        _ => status,
    };

    public static string Voted(PageText text, string? voted) => voted switch
    {
        "online" => text.T("已网上投票", "Voted online"),
        "paper" => text.T("已纸质投票", "Voted on paper"),
        _ => text.T("未投票", "Not yet"),
    };
}
