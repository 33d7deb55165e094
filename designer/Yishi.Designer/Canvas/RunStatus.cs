namespace Yishi.Designer.Canvas;

/// <summary>A case's or rehearsal's status in words.</summary>
public static class RunStatus
{
    public static string Describe(PageText text, string status) => status switch
    {
        "Running" => text.T("运行中", "Running"),
        "Waiting" => text.T("等待中", "Waiting"),
        "Completed" => text.T("已结束", "Completed"),
        "Cancelled" => text.T("已取消", "Cancelled"),
        "Faulted" => text.T("出错，待处理", "Faulted: needs a person"),
        _ => status,
    };
}
