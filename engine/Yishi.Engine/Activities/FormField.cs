using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Definitions;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Activities;

/// <summary>Kinds of form field a human task can ask for.</summary>
public enum FormFieldType
{
    /// <summary>Free text.</summary>
    Text,
    /// <summary>A number.</summary>
    Number,
    /// <summary>An ISO 8601 date or date-time.</summary>
    Date,
    /// <summary>One of the options.</summary>
    Choice,
    /// <summary>Yes or no.</summary>
    Boolean,
    /// <summary>The id of an uploaded attachment.</summary>
    Attachment,
}

/// <summary>A field of a human task's form, with its validation rules.</summary>
/// <param name="Name">Key in the submitted data.</param>
/// <param name="Type">Value kind.</param>
/// <param name="Label">Label shown to the person.</param>
public sealed record FormField(string Name, FormFieldType Type, LocalizedText Label)
{
    /// <summary>Must be filled.</summary>
    public bool Required { get; init; }

    /// <summary>The options of a choice.</summary>
    public ImmutableArray<string> Options { get; init; } = [];

    /// <summary>Longest text.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Smallest number.</summary>
    public double? Min { get; init; }

    /// <summary>Largest number.</summary>
    public double? Max { get; init; }

    /// <summary>The declared variable the value is stored in.</summary>
    public string? Variable { get; init; }

    /// <summary>Reads a form definition; problems are reported with the field's index in the list.</summary>
    public static ImmutableArray<FormField> ReadList(JsonElement list, Action<string, string> report)
    {
        var fields = ImmutableArray.CreateBuilder<FormField>();
        if (list.ValueKind != JsonValueKind.Array)
        {
            report("", "The form must be a list of fields.");
            return [];
        }

        var index = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.EnumerateArray())
        {
            var at = "/" + index++.ToString(CultureInfo.InvariantCulture);
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString()!.Length == 0)
            {
                report(at, "Each form field is an object with a 'name'.");
                continue;
            }

            var fieldName = name.GetString()!;
            if (!names.Add(fieldName))
            {
                report(at, $"The form has two fields named '{fieldName}'.");
                continue;
            }

            var type = FormFieldType.Text;
            if (item.TryGetProperty("type", out var typeElement) &&
                (typeElement.ValueKind != JsonValueKind.String || !DefinitionParser.TryParseName(typeElement.GetString()!, out type)))
            {
                report(at + "/type", "A field type is one of text, number, date, choice, boolean, attachment.");
                continue;
            }

            var label = item.TryGetProperty("label", out var labelElement) && labelElement.ValueKind == JsonValueKind.Object
                ? new LocalizedText(labelElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                    .ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal))
                : LocalizedText.Invariant(item.TryGetProperty("label", out var plain) && plain.ValueKind == JsonValueKind.String ? plain.GetString()! : fieldName);
            var options = item.TryGetProperty("options", out var optionsElement) && optionsElement.ValueKind == JsonValueKind.Array
                ? optionsElement.EnumerateArray().Where(o => o.ValueKind == JsonValueKind.String).Select(o => o.GetString()!).ToImmutableArray()
                : [];
            if (type == FormFieldType.Choice && options.IsEmpty)
            {
                report(at + "/options", $"The choice field '{fieldName}' needs 'options'.");
            }

            fields.Add(new FormField(fieldName, type, label)
            {
                Required = item.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.True,
                Options = options,
                MaxLength = Number(item, "maxLength") is { } maxLength ? (int)maxLength : null,
                Min = Number(item, "min"),
                Max = Number(item, "max"),
                Variable = item.TryGetProperty("variable", out var variable) && variable.ValueKind == JsonValueKind.String ? variable.GetString() : null,
            });
        }

        return fields.ToImmutable();
    }

    private static double? Number(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    /// <summary>Checks submitted values against the fields; returns every problem.</summary>
    public static ImmutableArray<ValidationProblem> Check(ImmutableArray<FormField> fields, JsonObject? data)
    {
        var problems = ImmutableArray.CreateBuilder<ValidationProblem>();
        var known = fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, _) in data ?? [])
        {
            if (!known.Contains(key))
            {
                problems.Add(ValidationProblem.Error(ProblemCodes.InputUnknown, $"'{key}' is not a field of this form.") with { Property = key });
            }
        }

        foreach (var field in fields)
        {
            var value = data?[field.Name];
            if (value is null || (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && Element(v).GetString()!.Length == 0))
            {
                if (field.Required)
                {
                    problems.Add(ValidationProblem.Error(ProblemCodes.InputMissing, $"'{field.Label.Get("en")}' is required.") with { Property = field.Name });
                }

                continue;
            }

            if (field.CheckValue(value) is { } message)
            {
                problems.Add(ValidationProblem.Error(ProblemCodes.InputWrongType, message) with { Property = field.Name });
            }
        }

        return problems.ToImmutable();
    }

    /// <summary>
    /// The value as JSON. Data parsed from a request holds JsonElements, but data built in code holds CLR values
    /// (int, decimal, DateTimeOffset) that <c>GetValue&lt;double&gt;()</c> or <c>GetValue&lt;string&gt;()</c> refuse to convert.
    /// </summary>
    private static JsonElement Element(JsonNode value) =>
        value.AsValue().TryGetValue<JsonElement>(out var element) ? element : JsonElement.Parse(value.ToJsonString());

    private string? CheckValue(JsonNode value)
    {
        var kind = value.GetValueKind();
        switch (Type)
        {
            case FormFieldType.Text or FormFieldType.Attachment:
                if (kind != JsonValueKind.String)
                {
                    return $"'{Name}' must be text.";
                }

                return MaxLength is { } max && Element(value).GetString()!.Length > max ? $"'{Name}' is longer than {max} characters." : null;
            case FormFieldType.Number:
                if (kind != JsonValueKind.Number)
                {
                    return $"'{Name}' must be a number.";
                }

                var number = Element(value).GetDouble();
                return (Min is { } min && number < min) || (Max is { } maxValue && number > maxValue)
                    ? $"'{Name}' must be between {Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} and {Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}."
                    : null;
            case FormFieldType.Date:
                return kind == JsonValueKind.String && DateTimeOffset.TryParse(Element(value).GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
                    ? null
                    : $"'{Name}' must be an ISO 8601 date.";
            case FormFieldType.Choice:
                return kind == JsonValueKind.String && Options.Contains(Element(value).GetString()!)
                    ? null
                    : $"'{Name}' must be one of: {string.Join(", ", Options)}.";
            case FormFieldType.Boolean:
                return kind is JsonValueKind.True or JsonValueKind.False ? null : $"'{Name}' must be true or false.";
            default:
                return null;
        }
    }
}
