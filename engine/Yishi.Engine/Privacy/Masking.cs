using System.Text.RegularExpressions;

namespace Yishi.Engine.Privacy;

/// <summary>Personal data as lists, logs, notifications and exports show it (PIPL: the minimum needed).</summary>
public static partial class Masking
{
    /// <summary>
    /// Masks what looks like a mobile number, an ID number or an email address inside free text (a provider's error
    /// message, say) before it goes into a log.
    /// </summary>
    public static string Scrub(string text) =>
        EmailPattern().Replace(IdPattern().Replace(PhonePattern().Replace(text, m => Phone(m.Value)!), m => IdNumber(m.Value)), m => "***@" + m.Groups[1].Value);

    [GeneratedRegex(@"(?<!\d)\d{17}[\dXx](?!\d)")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")]
    private static partial Regex EmailPattern();

    /// <summary>
    /// <c>13800001234</c> → <c>138****1234</c>, <c>+86 138-0000-1234</c> → <c>+86138****1234</c>: enough to tell two
    /// residents apart, not enough to call them. Four digits are always hidden; a number too short for that shows only
    /// its last four digits, or nothing. Spaces and dashes are dropped first, so a separator cannot shift a hidden
    /// digit into the visible part.
    /// </summary>
    public static string? Phone(string? phone)
    {
        if (phone is null)
        {
            return null;
        }

        var digits = string.Concat(phone.Where(char.IsAsciiDigit));
        var plus = phone.TrimStart().StartsWith('+') ? "+" : "";
        return digits.Length switch
        {
            >= 11 => string.Concat(plus, digits.AsSpan(0, digits.Length - 8), "****", digits.AsSpan(digits.Length - 4)),
            >= 8 => string.Concat("****", digits.AsSpan(digits.Length - 4)),
            _ => "****",
        };
    }

    /// <summary><c>张丽华</c> → <c>张**</c>: the surname stays, the given name does not.</summary>
    public static string Name(string name) => name.Length <= 1 ? name : string.Concat(name.AsSpan(0, 1), new string('*', name.Length - 1));

    /// <summary><c>zhang@example.org</c> → <c>z***@example.org</c>: the domain stays, the mailbox does not.</summary>
    public static string Email(string address) =>
        address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at ? string.Concat(address.AsSpan(0, 1), "***", address.AsSpan(at)) : address;

    /// <summary>
    /// A resident ID number (18 characters) keeps its first and last characters only: <c>1****************X</c>.
    /// The region and birth date inside it are personal data too.
    /// </summary>
    public static string IdNumber(string id) => id.Length <= 2 ? new string('*', id.Length) : string.Concat(id.AsSpan(0, 1), new string('*', id.Length - 2), id.AsSpan(id.Length - 1));
}
