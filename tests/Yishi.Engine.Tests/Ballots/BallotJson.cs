using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Yishi.Engine.Tests.Ballots;

/// <summary>JSON as compact text with Chinese left readable, so expected values in ballot tests read as written.</summary>
internal static class BallotJson
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Text(JsonNode? node) => node?.ToJsonString(Readable) ?? "null";

    /// <summary>The same JSON written compactly, for comparing with <see cref="Text"/>.</summary>
    public static string Compact(string json) => Text(JsonNode.Parse(json));
}
