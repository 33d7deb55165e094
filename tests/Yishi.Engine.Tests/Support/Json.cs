using System.Text.Json.Nodes;

namespace Yishi.Engine.Tests.Support;

/// <summary>Short ways to write JSON values in tests.</summary>
public static class Json
{
    /// <summary>Parses an object the way it arrives over HTTP (values backed by JSON text).</summary>
    public static JsonObject Object(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>A node as compact JSON text, for comparing values.</summary>
    public static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";
}
