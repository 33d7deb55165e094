namespace Yishi.Engine.Notifications.Channels;

/// <summary>A phone number as logs may show it: enough to tell two residents apart, not enough to call them.</summary>
internal static class MaskedPhone
{
    /// <summary>
    /// <c>13800001234</c> → <c>138****1234</c>, <c>+86 138-0000-1234</c> → <c>+86138****1234</c>. Four digits are always
    /// hidden; a number too short for that shows only its last four digits, or nothing.
    /// </summary>
    public static string Of(string phone)
    {
        // Spaces and dashes are dropped first, so a separator cannot shift a middle digit into the visible part.
        var digits = string.Concat(phone.Where(char.IsAsciiDigit));
        var plus = phone.TrimStart().StartsWith('+') ? "+" : "";
        return digits.Length switch
        {
            >= 11 => string.Concat(plus, digits.AsSpan(0, digits.Length - 8), "****", digits.AsSpan(digits.Length - 4)),
            >= 8 => string.Concat("****", digits.AsSpan(digits.Length - 4)),
            _ => "****",
        };
    }
}
