using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scriban.Runtime;

namespace Yishi.Engine.Expressions;

/// <summary>Converts between the engine's JSON values and Scriban's runtime values.</summary>
internal static class ScriptValues
{
    public static ScriptObject ToGlobals(ExpressionScope scope, int depthLimit)
    {
        var globals = new ScriptObject(scope.Variables.Count + 4);
        foreach (var (name, value) in scope.Variables)
        {
            globals[name] = ToScript(value, depthLimit);
        }

        globals["input"] = ToScript(scope.Input, depthLimit);
        globals["activities"] = ToScript(scope.Activities, depthLimit) ?? new ScriptObject();
        globals["instance"] = ToScript(scope.Instance, depthLimit) ?? new ScriptObject();
        globals["now"] = scope.Now.UtcDateTime;
        return globals;
    }

    public static object? ToScript(JsonNode? node, int depth)
    {
        if (depth < 0)
        {
            throw new InvalidOperationException("The value is nested too deeply.");
        }

        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var result = new ScriptObject(obj.Count);
                foreach (var (key, value) in obj)
                {
                    result[key] = ToScript(value, depth - 1);
                }

                return result;
            case JsonArray array:
                var list = new ScriptArray(array.Count);
                foreach (var item in array)
                {
                    list.Add(ToScript(item, depth - 1));
                }

                return list;
            default:
                // Values parsed from JSON text hold a JsonElement; values built in code (JsonValue.Create(7), a form
                // posted as a JsonObject, an expression's earlier result in the same step) hold a CLR value instead.
                var element = node.AsValue().TryGetValue<JsonElement>(out var parsed) ? parsed : JsonElement.Parse(node.ToJsonString());
                return element.ValueKind switch
                {
                    JsonValueKind.String => element.GetString(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number when element.TryGetInt32(out var i) => i,
                    JsonValueKind.Number when element.TryGetInt64(out var l) => l,
                    JsonValueKind.Number => element.GetDouble(),
                    _ => null,
                };
        }
    }

    public static JsonNode? ToJson(object? value, int depth)
    {
        if (depth < 0)
        {
            throw new InvalidOperationException("The result is nested too deeply.");
        }

        switch (value)
        {
            case null:
                return null;
            case string s:
                return JsonValue.Create(s);
            case bool b:
                return JsonValue.Create(b);
            case int i:
                return JsonValue.Create(i);
            case long l:
                return JsonValue.Create(l);
            case double d:
                return double.IsFinite(d) ? JsonValue.Create(d) : throw new InvalidOperationException("The result is not a finite number.");
            case float f:
                return float.IsFinite(f) ? JsonValue.Create((double)f) : throw new InvalidOperationException("The result is not a finite number.");
            case decimal m:
                return JsonValue.Create(m);
            case BigInteger big:
                return JsonValue.Create(decimal.Parse(big.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
            case DateTime dateTime:
                return JsonValue.Create(new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture));
            case DateTimeOffset dateTimeOffset:
                return JsonValue.Create(dateTimeOffset.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            case TimeSpan timeSpan:
                return JsonValue.Create(timeSpan.ToString("c", CultureInfo.InvariantCulture));
            case ScriptRange range:
                return ToJsonArray(range, depth);
            case IDictionary<string, object?> dictionary:
                var obj = new JsonObject();
                foreach (var (key, item) in dictionary)
                {
                    obj[key] = ToJson(item, depth - 1);
                }

                return obj;
            case IEnumerable enumerable:
                return ToJsonArray(enumerable, depth);
            default:
                return JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }

    private static JsonArray ToJsonArray(IEnumerable items, int depth)
    {
        var array = new JsonArray();
        foreach (var item in items)
        {
            // Ranges are lazy; a result is bounded like a loop is.
            if (array.Count >= 10_000)
            {
                throw new InvalidOperationException("The result has more than 10,000 items.");
            }

            array.Add(ToJson(item, depth - 1));
        }

        return array;
    }
}
