using System.Text.RegularExpressions;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>
/// What a template key looks like (<c>mediation/accepted</c>): lower-case words of letters, digits, <c>-</c> and
/// <c>_</c>, separated by <c>/</c>. One rule for the activities that name templates, the folder import, the template
/// API and includes; because it has no dots, backslashes or leading slash, a key can never leave the templates folder.
/// </summary>
public static partial class TemplateKeys
{
    /// <summary>Whether <paramref name="key"/> is a template key.</summary>
    public static bool IsValid(string? key) => key is not null && Pattern().IsMatch(key);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$")]
    private static partial Regex Pattern();
}
