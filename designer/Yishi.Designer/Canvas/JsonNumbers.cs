using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Canvas;

/// <summary>Numbers from JSON nodes, whether parsed (any number) or made in code (an int is not a double to <c>GetValue</c>).</summary>
public static class JsonNumbers
{
    public static double? Read(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) : null;
}
