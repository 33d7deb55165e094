namespace Yishi.Server.CaseFiles;

/// <summary>The words a case file is described in: its categories, sources, risk levels and kinds of record.</summary>
public static class CaseVocabulary
{
    /// <summary>The longest category, in characters.</summary>
    public const int MaxCategory = 32;

    /// <summary>
    /// The categories the workbench offers (矛盾纠纷 as committees count them): 邻里纠纷 (neighbours), 婚姻家庭 (marriage and
    /// family), 物业纠纷 (property management), 土地承包 (land contracts), 劳务纠纷 (labour and wages), 其他 (other). A
    /// committee may write its own: the category is free text, so a local kind of dispute needs no release.
    /// </summary>
    public static readonly IReadOnlyList<string> SuggestedCategories = ["邻里纠纷", "婚姻家庭", "物业纠纷", "土地承包", "劳务纠纷", "其他"];

    /// <summary>
    /// How a case reached the committee: <c>walk-in</c> (a party came in), <c>hotline</c> (a 12345-style referral),
    /// <c>grid</c> (found by a grid worker), <c>initiative</c> (the committee acted on its own, 主动排查), <c>api</c>
    /// (another system).
    /// </summary>
    public static readonly IReadOnlyList<string> Sources = ["walk-in", "hotline", "grid", "initiative", "api"];

    /// <summary>The risk levels staff assess, lowest first.</summary>
    public static readonly IReadOnlyList<string> RiskLevels = ["low", "medium", "high"];

    /// <summary>The kinds of record: the minutes of a mediation <c>session</c>, a <c>visit</c> (回访, a site visit), a <c>note</c>.</summary>
    public static readonly IReadOnlyList<string> RecordKinds = ["session", "visit", "note"];
}

/// <summary>How large a record may be, so one case file cannot fill the database.</summary>
public static class CaseRecordLimits
{
    /// <summary>Characters in a title.</summary>
    public const int MaxTitle = 200;

    /// <summary>Characters in the text: the minutes of a long session fit.</summary>
    public const int MaxText = 20_000;

    /// <summary>Characters in the place.</summary>
    public const int MaxPlace = 200;

    /// <summary>Characters in the list of attendees.</summary>
    public const int MaxAttendees = 1_000;

    /// <summary>Records in one case.</summary>
    public const int MaxPerCase = 1_000;
}
