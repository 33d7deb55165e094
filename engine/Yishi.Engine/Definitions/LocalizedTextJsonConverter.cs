using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Yishi.Engine.Definitions;

/// <summary>Writes <see cref="LocalizedText"/> as it appears in definitions: an object of texts by locale (or a plain string).</summary>
public sealed class LocalizedTextJsonConverter : JsonConverter<LocalizedText>
{
    /// <inheritdoc />
    public override LocalizedText? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return LocalizedText.Invariant(reader.GetString()!);
        }

        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(ref reader, options) ?? [];
        return new LocalizedText(values.ToImmutableSortedDictionary(StringComparer.Ordinal));
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, LocalizedText value, JsonSerializerOptions options)
    {
        if (value.Values.Count == 1 && value.Values.TryGetValue("", out var invariant))
        {
            writer.WriteStringValue(invariant);
            return;
        }

        writer.WriteStartObject();
        foreach (var (locale, text) in value.Values)
        {
            writer.WriteString(locale, text);
        }

        writer.WriteEndObject();
    }
}
