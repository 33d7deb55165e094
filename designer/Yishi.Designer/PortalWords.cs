using System.Globalization;
using System.Text.Json.Nodes;
using Yishi.Designer.Api;

namespace Yishi.Designer;

/// <summary>
/// The resident portal's words: times in Beijing time, the states of cases and ballots, and the server's refusals in
/// plain language (the API's titles are written for integrators, in English).
/// </summary>
public static class PortalWords
{
    // China keeps one time zone without daylight saving: a fixed offset needs no time zone database on the server.
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>A moment as residents read it: Beijing time, to the minute.</summary>
    public static string Time(this PageText text, DateTimeOffset at) =>
        at.ToOffset(Beijing).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + text.T("（北京时间）", " (Beijing time)");

    /// <summary>A text that may be one string or one per locale (<c>{"zh-CN": …, "en": …}</c>).</summary>
    public static string Localized(this PageText text, JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var plain) => plain,
        JsonObject all => (all[text.Locale] ?? all[PageText.Chinese] ?? all.Select(p => p.Value).FirstOrDefault())?.GetValue<string>() ?? "",
        _ => "",
    };

    /// <summary>What kind of matter a case is, by its workflow; the workflow's id for one the portal has no words for.</summary>
    public static string CaseKind(this PageText text, string definitionId) => definitionId switch
    {
        "dispute-mediation" => text.T("纠纷调解", "Dispute mediation"),
        "resident-consultation" => text.T("居民协商", "Resident consultation"),
        "resident-vote" => text.T("居民表决", "Residents' vote"),
        "village-rule-vote" => text.T("村规民约表决", "Village rules vote"),
        _ => definitionId,
    };

    public static string CaseStatus(this PageText text, string status) => status switch
    {
        "Running" or "Waiting" => text.T("办理中", "In progress"),
        "Completed" => text.T("已办结", "Closed"),
        "Cancelled" => text.T("已撤销", "Withdrawn"),
        "Faulted" => text.T("办理中（工作人员处理中）", "In progress (staff are on it)"),
        _ => status,
    };

    public static string BallotStatus(this PageText text, string status) => status switch
    {
        "notice" => text.T("公示中，尚未开始投票", "Announced, voting not open yet"),
        "open" => text.T("投票中", "Voting open"),
        "closed" => text.T("已结束", "Closed"),
        _ => status,
    };

    /// <summary>An option's words: its own label, or the usual words for the motion's yes / no / abstain.</summary>
    public static string Option(this PageText text, JsonObject option)
    {
        var id = option["id"]?.GetValue<string>() ?? "";
        var label = text.Localized(option["text"]);
        return label.Length > 0 ? label : id switch
        {
            "yes" => text.T("赞成", "Yes"),
            "no" => text.T("反对", "No"),
            "abstain" => text.T("弃权", "Abstain"),
            _ => id,
        };
    }

    /// <summary>A party's rating of their case in words.</summary>
    public static string Rating(this PageText text, string rating) => rating switch
    {
        "satisfied" => text.T("满意", "Satisfied"),
        "partly-satisfied" => text.T("基本满意", "Partly satisfied"),
        "dissatisfied" => text.T("不满意", "Dissatisfied"),
        _ => rating,
    };

    /// <summary>The server's refusal in plain words, by its stable problem name; its own title for one not listed.</summary>
    public static string Refusal(this PageText text, PortalRefusal refusal) => refusal.Name switch
    {
        "ballot-closed" => text.T("投票已经结束，不能再投。", "Voting has closed."),
        "ballot-not-open" => text.T("投票尚未开始，请在开始时间后再来。", "Voting has not opened yet; come back once it opens."),
        "not-in-electorate" => text.T("您不在本次表决的选民名单中（名单在公告时确定）。", "You are not on this ballot's roll (it was fixed when notice was given)."),
        "unverified" => text.T("您的身份尚未核实，暂不能网上投票。可到居（村）委会办公室投纸质票，或请工作人员核实身份。",
            "Your identity has not been checked, so you cannot vote online. Vote on paper at the committee's office, or ask staff to check your identity."),
        "already-voted" => text.T("您（或您的户）已经投过票了，每人（户）只能投一票。", "You (or your household) have already voted; one vote each."),
        "invalid-choices" => text.T("请为每个问题选择一个有效选项。", "Choose a valid option for each question."),
        "vote-not-written" => text.T("您的票没有记录成功，请再提交一次。", "Your vote was not recorded; please send it again."),
        "ballot-not-found" => text.T("没有找到这次表决，或您不在其选民名单中。", "No such ballot, or you are not on its roll."),
        "bad-receipt" => text.T("回执码格式不对：12 位字母和数字，例如 7KQ2-M9XD-4TRW。", "That is not a receipt code: 12 letters and digits, e.g. 7KQ2-M9XD-4TRW."),
        "receipt-unknown" => text.T("没有找到使用这个回执码的已计入选票，请核对回执码。", "No counted ballot has that receipt code; check the code."),
        "not-found" => text.T("没有找到。", "Not found."),
        "consultation-closed" or "already-closed" => text.T("已经截止，不能再提交。", "It has closed; nothing more can be sent."),
        "bad-stance" => text.T("请选择支持、反对或中立。", "Choose support, oppose or neutral."),
        "bad-scores" => text.T("请为每一项打 1 到 5 分。", "Score every item from 1 to 5."),
        "changed-meanwhile" => text.T("您的意见刚刚在别处被修改过，请刷新后再试。", "Your opinion changed elsewhere meanwhile; reload and try again."),
        "outside-your-org-unit" or "residents-only" => text.T("这项协商不面向您所在的社区。", "This consultation is not for your community."),
        "already-rated" => text.T("您已经评价过这个事项了，每位当事人只能评价一次。", "You have rated this case already; each party rates once."),
        "rating-not-open" => text.T("这个事项目前不需要评价。", "This case does not ask for a rating now."),
        "already-evaluated" => text.T("您已经评价过了，每人只能评价一次。", "You have already rated this; once each."),
        _ => string.IsNullOrEmpty(refusal.Detail) ? refusal.Title : $"{refusal.Title}（{refusal.Detail}）",
    };
}
