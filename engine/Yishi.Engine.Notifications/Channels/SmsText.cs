using System.Buffers;

namespace Yishi.Engine.Notifications.Channels;

/// <summary>How many billed SMS parts a text takes, so a designer can warn before a long notice costs three messages.</summary>
public static class SmsText
{
    // The GSM 03.38 basic character set in table order, without ESC (0x1B), which only leads into the extension table.
    private static readonly SearchValues<char> GsmBasic = SearchValues.Create(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
        + " !\"#¤%&'()*+,-./0123456789:;<=>?"
        + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
        + "¿abcdefghijklmnopqrstuvwxyzäöñüà");

    /// <summary>
    /// Counts the parts of <paramref name="text"/>: 160 characters in one GSM-7 message or 153 per part of a long one;
    /// with any other character the whole text goes as UCS-2, 70 in one message or 67 per part, counted in UTF-16 code
    /// units (an emoji takes two). Characters of the GSM extension table (€ [ ] { } ~ ^ \ |) count as UCS-2 here,
    /// which can only over-count: they cost two septets each and providers differ in how they split them.
    /// </summary>
    /// <returns>
    /// The length (GSM characters or UTF-16 code units), the number of parts (0 for an empty text), and whether the
    /// text goes as UCS-2.
    /// </returns>
    public static (int Length, int Segments, bool Unicode) Segments(string text)
    {
        var length = text.Length;
        var unicode = text.AsSpan().ContainsAnyExcept(GsmBasic);
        var (single, perPart) = unicode ? (70, 67) : (160, 153);
        var segments = length == 0 ? 0 : length <= single ? 1 : (length + perPart - 1) / perPart;
        return (length, segments, unicode);
    }
}
