using System.Collections.Immutable;

namespace Yishi.Engine.Definitions;

/// <summary>
/// Text in several locales (<c>zh-CN</c>, <c>en</c>, …). In JSON it is either a plain string (one text for
/// every locale) or an object keyed by locale.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(LocalizedTextJsonConverter))]
public sealed record LocalizedText(ImmutableSortedDictionary<string, string> Values)
{
    /// <summary>The locale used when the requested one is missing: Yishi's users work in Chinese first.</summary>
    public const string DefaultLocale = "zh-CN";

    /// <summary>Text with a zh-CN and an English form.</summary>
    public static LocalizedText Of(string zhCn, string en) =>
        new(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            [new KeyValuePair<string, string>("zh-CN", zhCn), new KeyValuePair<string, string>("en", en)]));

    /// <summary>The same text for every locale.</summary>
    public static LocalizedText Invariant(string text) =>
        new(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("", text)]));

    /// <summary>The text for <paramref name="locale"/>, falling back to zh-CN, then to any text there is.</summary>
    public string Get(string? locale = null)
    {
        if (locale is not null && Values.TryGetValue(locale, out var exact))
        {
            return exact;
        }

        if (Values.TryGetValue(DefaultLocale, out var zh))
        {
            return zh;
        }

        return Values.Count > 0 ? Values.First().Value : string.Empty;
    }

    /// <inheritdoc />
    public bool Equals(LocalizedText? other) =>
        other is not null && Values.Count == other.Values.Count &&
        Values.All(pair => other.Values.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <inheritdoc />
    public override int GetHashCode() => Values.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value));

    /// <inheritdoc />
    public override string ToString() => Get();
}
