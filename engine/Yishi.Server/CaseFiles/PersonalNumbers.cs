using System.Text.RegularExpressions;

namespace Yishi.Server.CaseFiles;

/// <summary>
/// Checks of the numbers that identify a person, written the way the residents import takes them, so a party and a
/// resident with the same phone are written the same.
/// </summary>
public static partial class PersonalNumbers
{
    // GB 11643-1999: the weights of the 17 digits, and the check character for each remainder modulo 11.
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>
    /// A mainland mobile number without the spaces and dashes people write in it (<c>138-0000-1234</c> →
    /// <c>13800001234</c>), or null when it is not 11 digits starting 13–19.
    /// </summary>
    public static string? MobileNumber(string? phone)
    {
        var digits = SeparatorPattern().Replace(phone ?? "", "");
        return MobilePattern().IsMatch(digits) ? digits : null;
    }

    /// <summary>
    /// A resident ID number (居民身份证号码, 18 characters) with its check character upper-case, or null when it is not
    /// 17 digits and the GB 11643 check character that fits them.
    /// </summary>
    public static string? IdNumber(string? id)
    {
        var text = (id ?? "").Trim().ToUpperInvariant();
        if (!IdPattern().IsMatch(text))
        {
            return null;
        }

        var sum = 0;
        for (var i = 0; i < Weights.Length; i++)
        {
            sum += (text[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11] == text[17] ? text : null;
    }

    [GeneratedRegex(@"[\s-]")]
    private static partial Regex SeparatorPattern();

    // [0-9], not \d: \d also takes full-width and other scripts' digits, which no SMS gateway dials.
    [GeneratedRegex(@"^1[3-9][0-9]{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"^[0-9]{17}[0-9X]$")]
    private static partial Regex IdPattern();
}
