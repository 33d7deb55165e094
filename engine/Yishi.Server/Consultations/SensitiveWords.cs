using System.Globalization;
using System.Text;

namespace Yishi.Server.Consultations;

/// <summary>
/// Whether an opinion contains one of a consultation's sensitive words. Case, full-width forms, spaces and
/// punctuation are folded away first, so "骗 子", "骗，子" and "ＳＣＡＭ" are caught by "骗子" and "scam".
/// </summary>
internal static class SensitiveWords
{
    public static bool Contain(string text, IReadOnlyCollection<string> words)
    {
        if (words.Count == 0)
        {
            return false;
        }

        var folded = Fold(text);
        return words.Select(Fold).Any(word => word.Length > 0 && folded.Contains(word, StringComparison.Ordinal));
    }

    private static string Fold(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC);
        var kept = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (!char.IsWhiteSpace(c) && !char.IsPunctuation(c) && !char.IsSymbol(c))
            {
                kept.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
        }

        return kept.ToString();
    }
}
