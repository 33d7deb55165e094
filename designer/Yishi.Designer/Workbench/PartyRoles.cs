namespace Yishi.Designer.Workbench;

/// <summary>A party's part in a case in the page's language; a part the server does not name here shows as stored.</summary>
public static class PartyRoles
{
    private static readonly Dictionary<string, (string Zh, string En)> Known = new(StringComparer.Ordinal)
    {
        ["applicant"] = ("申请人", "Applicant"),
        ["respondent"] = ("被申请人", "Respondent"),
        ["agent"] = ("代理人", "Agent"),
        ["witness"] = ("证人", "Witness"),
        ["third-party"] = ("第三人", "Third party"),
    };

    public static string Name(string role, PageText text) => Known.TryGetValue(role, out var name) ? text.T(name.Zh, name.En) : role;
}
