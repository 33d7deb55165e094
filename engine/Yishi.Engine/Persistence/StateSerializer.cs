using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Yishi.Engine.Instances;

namespace Yishi.Engine.Persistence;

/// <summary>
/// The stored form of an instance's state and of bookmark payloads: compact JSON, with source-generated
/// serializers on the hot path of every step.
/// </summary>
public static class StateSerializer
{
    /// <summary>Serializes an instance's state.</summary>
    public static string Serialize(InstanceState state) => JsonSerializer.Serialize(state, StateJsonContext.Default.InstanceState);

    /// <summary>Reads an instance's state.</summary>
    public static InstanceState Deserialize(string json) =>
        JsonSerializer.Deserialize(json, StateJsonContext.Default.InstanceState) ?? throw new JsonException("The stored instance state is empty.");

    /// <summary>Serializes a JSON object column (null stays null).</summary>
    public static string? Serialize(JsonObject? value) => value?.ToJsonString(StateJsonContext.Default.Options);

    /// <summary>Reads a JSON object column.</summary>
    public static JsonObject? DeserializeObject(string? json) => json is null ? null : JsonNode.Parse(json)?.AsObject();

    /// <summary>Reads any JSON value column.</summary>
    public static JsonNode? DeserializeNode(string? json) => json is null ? null : JsonNode.Parse(json);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(InstanceState))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
