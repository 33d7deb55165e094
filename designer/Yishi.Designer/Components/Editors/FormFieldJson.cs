using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Yishi.Designer.Canvas;

namespace Yishi.Designer.Components.Editors;

/// <summary>
/// A human task's form as the engine reads it (<c>Yishi.Engine.Activities.FormField.ReadList</c>): a list of objects with
/// <c>name</c>, <c>type</c>, <c>label</c> (zh-CN and en), <c>required</c>, and by type <c>maxLength</c>, <c>min</c>/<c>max</c>
/// or <c>options</c>, and <c>variable</c>. Edits work on copies of the fields as they are, so keys this editor does not show
/// survive a round trip.
/// </summary>
public static partial class FormFieldJson
{
    /// <summary>The field types the engine accepts, in the order the designer offers them.</summary>
    public static readonly IReadOnlyList<string> Types = ["text", "number", "date", "choice", "boolean", "attachment"];

    /// <summary>Which rule keys belong to which type; the others are dropped when the type changes, so a number keeps no <c>options</c>.</summary>
    private static readonly Dictionary<string, string[]> RulesByType = new(StringComparer.Ordinal)
    {
        ["text"] = ["maxLength"],
        ["number"] = ["min", "max"],
        ["choice"] = ["options"],
    };

    private static readonly string[] AllRules = ["maxLength", "min", "max", "options"];

    /// <summary>Whether the builder can show a value: nothing yet, or a list of objects. Anything else opens as JSON.</summary>
    public static bool CanEdit(JsonNode? value) => value is null || (value is JsonArray list && list.All(f => f is JsonObject));

    /// <summary>The fields of a value the builder can show.</summary>
    public static IReadOnlyList<JsonObject> Fields(JsonNode? value) => value is JsonArray list ? [.. list.OfType<JsonObject>()] : [];

    /// <summary>The list as the engine stores it; no fields is no form at all.</summary>
    public static JsonArray? ToValue(IEnumerable<JsonObject> fields)
    {
        var list = new JsonArray([.. fields.Select(f => (JsonNode)f.DeepClone())]);
        return list.Count == 0 ? null : list;
    }

    /// <summary>A new text field with a name no other field has.</summary>
    public static JsonObject NewField(IReadOnlyList<JsonObject> fields)
    {
        var taken = fields.Select(Name).ToHashSet(StringComparer.Ordinal);
        var n = fields.Count + 1;
        while (taken.Contains($"field{n}"))
        {
            n++;
        }

        return new JsonObject { ["name"] = $"field{n}", ["type"] = "text" };
    }

    /// <summary>The field's name, or "".</summary>
    public static string Name(JsonObject field) => Text(field["name"]) ?? "";

    /// <summary>The field's type as the engine reads it: absent means text.</summary>
    public static string Type(JsonObject field) => Text(field["type"])?.ToLowerInvariant() ?? "text";

    /// <summary>The label in a locale; a plain-text label is the Chinese one.</summary>
    public static string Label(JsonObject field, string locale) => field["label"] switch
    {
        JsonObject texts => Text(texts[locale]) ?? "",
        JsonValue plain when locale == PageText.Chinese => Text(plain) ?? "",
        _ => "",
    };

    /// <summary>Whether the field must be filled.</summary>
    public static bool Required(JsonObject field) => field["required"]?.GetValueKind() == JsonValueKind.True;

    /// <summary>A number rule (<c>min</c>, <c>max</c>, <c>maxLength</c>), or null.</summary>
    public static double? Number(JsonObject field, string rule) => JsonNumbers.Read(field[rule]);

    /// <summary>A choice's options.</summary>
    public static IReadOnlyList<string> Options(JsonObject field) => field["options"] is JsonArray options ? [.. options.Select(Text).OfType<string>()] : [];

    /// <summary>The declared variable the value is stored in, or "".</summary>
    public static string Variable(JsonObject field) => Text(field["variable"]) ?? "";

    /// <summary>A copy with the name set.</summary>
    public static JsonObject WithName(JsonObject field, string name) => With(field, "name", JsonValue.Create(name.Trim()));

    /// <summary>A copy with the type set and the rules of the old type dropped.</summary>
    public static JsonObject WithType(JsonObject field, string type)
    {
        var copy = With(field, "type", JsonValue.Create(type));
        var keep = RulesByType.GetValueOrDefault(type, []);
        foreach (var rule in AllRules.Except(keep))
        {
            copy.Remove(rule);
        }

        return copy;
    }

    /// <summary>A copy with the label in one locale set; a plain-text label becomes the Chinese one, and no label at all leaves the name to show.</summary>
    public static JsonObject WithLabel(JsonObject field, string locale, string? text)
    {
        var texts = field["label"] switch
        {
            JsonObject o => (JsonObject)o.DeepClone(),
            JsonValue v when Text(v) is { } plain => new JsonObject { [PageText.Chinese] = plain },
            _ => [],
        };
        if (string.IsNullOrWhiteSpace(text))
        {
            texts.Remove(locale);
        }
        else
        {
            texts[locale] = text.Trim();
        }

        return With(field, "label", texts.Count == 0 ? null : texts);
    }

    /// <summary>A copy that must, or need not, be filled; "not required" is the engine's default and is left out.</summary>
    public static JsonObject WithRequired(JsonObject field, bool required) => With(field, "required", required ? JsonValue.Create(true) : null);

    /// <summary>A copy with a number rule set, or removed when <paramref name="amount"/> is null. Lengths are whole numbers.</summary>
    public static JsonObject WithNumber(JsonObject field, string rule, double? amount) =>
        With(field, rule, amount is not { } n ? null : rule == "maxLength" || n == Math.Floor(n) ? JsonValue.Create((long)n) : JsonValue.Create(n));

    /// <summary>A copy with a choice's options, one per line.</summary>
    public static JsonObject WithOptions(JsonObject field, string? lines) =>
        With(field, "options", new JsonArray([.. (lines ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).Select(o => (JsonNode)JsonValue.Create(o))]));

    /// <summary>A copy stored into a declared variable, or into none.</summary>
    public static JsonObject WithVariable(JsonObject field, string? variable) =>
        With(field, "variable", string.IsNullOrWhiteSpace(variable) ? null : JsonValue.Create(variable.Trim()));

    /// <summary>
    /// What the designer warns about before the engine is asked: a name expressions cannot read (<c>activities.task.data.name</c>
    /// needs an identifier) and bounds the wrong way round. The engine's own checks (duplicates, options) come back as problems.
    /// </summary>
    public static IReadOnlyList<string> Warnings(JsonObject field, PageText text)
    {
        var warnings = new List<string>();
        var name = Name(field);
        if (name.Length > 0 && !Identifier().IsMatch(name))
        {
            warnings.Add(text.T("字段名只能用英文字母、数字和下划线，且不能以数字开头，否则条件里无法引用。",
                "A field name is letters, digits and underscores, not starting with a digit; otherwise conditions cannot read it."));
        }

        if (name.Length == 0)
        {
            warnings.Add(text.T("字段名不能为空。", "The field needs a name."));
        }

        if (Number(field, "min") is { } min && Number(field, "max") is { } max && min > max)
        {
            warnings.Add(text.T("最小值大于最大值，任何数字都无法通过。", "The minimum is above the maximum: no number can pass."));
        }

        if (Number(field, "maxLength") is <= 0)
        {
            warnings.Add(text.T("最多字数应大于 0。", "The longest text must be above 0."));
        }

        return warnings;
    }

    /// <summary>The index of the form field a problem's JSON pointer is about, or null when it is about the form as a whole.</summary>
    public static int? FieldIndex(string? path, string property) =>
        path is not null && FieldPointer().Match(path) is { Success: true } m && m.Groups["property"].Value == property
            ? int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture)
            : null;

    /// <summary>Whether a name is one an expression can read as a member.</summary>
    public static bool IsIdentifier(string name) => Identifier().IsMatch(name);

    private static JsonObject With(JsonObject field, string key, JsonNode? value)
    {
        var copy = (JsonObject)field.DeepClone();
        if (value is null)
        {
            copy.Remove(key);
        }
        else
        {
            copy[key] = value;
        }

        return copy;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"/properties/(?<property>[^/]+)/(?<index>\d+)(/|$)")]
    private static partial Regex FieldPointer();
}
