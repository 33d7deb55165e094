using System.Globalization;
using Yishi.Designer.Api;

namespace Yishi.Designer.Workbench.CaseFile;

/// <summary>How the case file says things: refusals in plain words, Beijing time in and out, sizes, the vocabulary's labels.</summary>
public static class CaseFileWords
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>What the server refused, led by a sentence in the reader's language; the server's own detail follows.</summary>
    public static string Plain(PageText text, Refusal refusal) => Lead(text, refusal.Status) + " " + refusal.Describe();

    /// <summary>The server's message about one field, to show beside it.</summary>
    public static string? Field(Refusal? refusal, string field) =>
        refusal?.Problems.FirstOrDefault(p => p.IsError && string.Equals(p.Property, field, StringComparison.Ordinal))?.Message;

    /// <summary>A time as staff read it: Beijing time.</summary>
    public static string Time(DateTimeOffset at) => at.ToOffset(Beijing).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The value of a <c>datetime-local</c> input for a time, in Beijing time.</summary>
    public static string ToInput(DateTimeOffset at) => at.ToOffset(Beijing).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A <c>datetime-local</c> value read as Beijing time (the workbench's zone whatever the browser's); null when empty or not a time.</summary>
    public static DateTimeOffset? FromInput(string? value) =>
        DateTime.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, Beijing)
            : null;

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };

    public static string SessionKind(PageText text, string kind) => kind == "consultation" ? text.T("协商会", "Consultation meeting") : text.T("调解会", "Mediation session");

    public static string RecordKind(PageText text, string kind) => kind switch
    {
        "session" => text.T("调解笔录", "Session minutes"),
        "visit" => text.T("走访记录", "Visit"),
        _ => text.T("备注", "Note"),
    };

    public static string Source(PageText text, string? source) => source switch
    {
        "walk-in" => text.T("来访", "Walk-in"),
        "hotline" => text.T("热线", "Hotline"),
        "grid" => text.T("网格员上报", "Grid worker"),
        "initiative" => text.T("主动排查", "Own initiative"),
        "api" => text.T("系统对接", "Another system"),
        _ => text.T("未填写", "Not set"),
    };

    public static string Risk(PageText text, string? level) => level switch
    {
        "low" => text.T("低", "Low"),
        "medium" => text.T("中", "Medium"),
        "high" => text.T("高", "High"),
        _ => text.T("未评估", "Not assessed"),
    };

    private static string Lead(PageText text, int status) => status switch
    {
        400 => text.T("填写的内容有误，请按提示修改：", "Something you entered needs changing:"),
        403 => text.T("您没有权限做这件事。", "You may not do this."),
        404 => text.T("找不到，或您无权查看。", "Not found, or not yours to see."),
        409 => text.T("现在不能这样做：", "This cannot be done now:"),
        413 => text.T("文件太大，未上传。", "The file is too large and was not uploaded."),
        415 => text.T("不接受这种文件，或文件内容与扩展名不符，未上传。", "This kind of file is not accepted, or its content is not what its name says; it was not uploaded."),
        422 => text.T("内容不符合要求：", "This does not fit:"),
        503 => text.T("服务暂时不可用：", "Not available right now:"),
        _ => text.T("服务器拒绝了请求：", "The server refused:"),
    };
}
