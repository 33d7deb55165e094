using System.Globalization;
using System.Text.Json.Nodes;
using Yishi.Designer.Api;

namespace Yishi.Designer.Workbench;

/// <summary>
/// The checks a task's form makes before anything is sent, the same rules the server applies (required, longest text,
/// smallest and largest number, a real date, one of the options), worded for the person filling it in.
/// </summary>
public static class FormCheck
{
    /// <summary>Every field's problem, by field name; empty when the form may be sent.</summary>
    public static Dictionary<string, string> Problems(IReadOnlyList<TaskFormField> fields, IReadOnlyDictionary<string, string> values, PageText text)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var value = values.GetValueOrDefault(field.Name)?.Trim() ?? "";
            if (field.Type == "boolean")
            {
                continue;
            }

            if (value.Length == 0)
            {
                if (field.Required)
                {
                    problems[field.Name] = text.T($"请填写“{field.Label}”。", $"'{field.Label}' is required.");
                }

                continue;
            }

            var problem = field.Type switch
            {
                "number" when !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => text.T("请填写数字。", "Enter a number."),
                "number" when field.Min is { } min && double.Parse(value, CultureInfo.InvariantCulture) < min => text.T($"不能小于 {min}。", $"At least {min}."),
                "number" when field.Max is { } max && double.Parse(value, CultureInfo.InvariantCulture) > max => text.T($"不能大于 {max}。", $"At most {max}."),
                "date" when !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    => text.T("请按 年-月-日 填写日期。", "Enter a date as year-month-day."),
                "choice" when !field.Options.Contains(value) => text.T("请从选项中选择。", "Choose one of the options."),
                "text" or "attachment" when field.MaxLength is { } longest && value.Length > longest
                    => text.T($"最多 {longest} 个字（现在 {value.Length} 个）。", $"At most {longest} characters (now {value.Length})."),
                _ => null,
            };
            if (problem is not null)
            {
                problems[field.Name] = problem;
            }
        }

        return problems;
    }

    /// <summary>The data to send: each filled field as its kind of value; booleans always (unticked is "no").</summary>
    public static JsonObject Data(IReadOnlyList<TaskFormField> fields, IReadOnlyDictionary<string, string> values)
    {
        var data = new JsonObject();
        foreach (var field in fields)
        {
            var value = values.GetValueOrDefault(field.Name)?.Trim() ?? "";
            if (field.Type == "boolean")
            {
                data[field.Name] = value == "true";
            }
            else if (value.Length > 0)
            {
                data[field.Name] = field.Type == "number" ? JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture)) : JsonValue.Create(value);
            }
        }

        return data;
    }
}
