using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Yishi.Engine.Expressions;

namespace Yishi.Engine.Activities;

/// <summary>
/// <c>{{ expression }}</c> placeholders in a text that residents read (a ballot's title, a consultation's topic), filled
/// from the case when the step runs. One definition then serves every case: a resident's proposal is consulted on under its
/// own topic, each village votes on its own rules. Only these few properties take placeholders; the rest of a definition is
/// literal, so a designer never wonders which braces are live.
/// </summary>
public static partial class TextPlaceholders
{
    /// <summary>Checks the expression in every placeholder of a text or localized text (<c>{"zh-CN": …, "en": …}</c>).</summary>
    public static void Check(ActivityValidationContext context, string property)
    {
        foreach (var (text, inner) in Texts(context.Activity.Property(property)))
        {
            foreach (Match match in Placeholder().Matches(text))
            {
                context.CheckExpression(property, match.Groups[1].Value, inner);
            }
        }
    }

    /// <summary>Whether a text (or any locale of it) has a placeholder, so its final length is known only when the step runs.</summary>
    public static bool HasAny(JsonElement? value) => Texts(value).Any(t => Placeholder().IsMatch(t.Text));

    /// <summary>
    /// The text or localized text with each placeholder replaced by its value (a string as it is, anything else as its JSON text,
    /// null as nothing); the first failing expression is the error.
    /// </summary>
    public static JsonNode? Fill(ActivityContext context, JsonElement? value, out ExpressionError? error)
    {
        error = null;
        switch (value)
        {
            case { ValueKind: JsonValueKind.String } text:
                return JsonValue.Create(Fill(context, text.GetString()!, out error));
            case { ValueKind: JsonValueKind.Object } localized:
                var filled = new JsonObject();
                foreach (var locale in localized.EnumerateObject())
                {
                    filled[locale.Name] = locale.Value.ValueKind == JsonValueKind.String ? Fill(context, locale.Value.GetString()!, out error) : JsonNode.Parse(locale.Value.GetRawText());
                    if (error is not null)
                    {
                        return null;
                    }
                }

                return filled;
            case { } other:
                return JsonNode.Parse(other.GetRawText());
            default:
                return null;
        }
    }

    /// <summary>A plain text with its placeholders filled.</summary>
    public static string Fill(ActivityContext context, string text, out ExpressionError? error)
    {
        error = null;
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return text;
        }

        var filled = new StringBuilder(text.Length);
        var last = 0;
        foreach (Match match in Placeholder().Matches(text))
        {
            filled.Append(text, last, match.Index - last);
            var result = context.Evaluate(match.Groups[1].Value);
            if (result.Error is { } failed)
            {
                error = failed;
                return text;
            }

            filled.Append(AsText(result.Value));
            last = match.Index + match.Length;
        }

        return filled.Append(text, last, text.Length - last).ToString();
    }

    private static string AsText(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static IEnumerable<(string Text, string? Inner)> Texts(JsonElement? value)
    {
        if (value is { ValueKind: JsonValueKind.String } text)
        {
            yield return (text.GetString()!, null);
        }
        else if (value is { ValueKind: JsonValueKind.Object } localized)
        {
            foreach (var locale in localized.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.String))
            {
                yield return (locale.Value.GetString()!, "/" + Definitions.SourceMap.Escape(locale.Name));
            }
        }
    }

    [GeneratedRegex(@"\{\{(.*?)\}\}", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
