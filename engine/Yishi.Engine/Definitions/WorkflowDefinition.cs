using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Yishi.Engine.Definitions;

/// <summary>
/// A workflow as staff design it: activities joined by connections from named outcomes. Immutable; the
/// JSON form is described in <c>workflows/README.md</c> and <c>workflow-definition.schema.json</c>.
/// </summary>
public sealed record WorkflowDefinition
{
    /// <summary>Stable id, unique in a deployment (a copy gets a new one).</summary>
    public required string DefinitionId { get; init; }

    /// <summary>Display name.</summary>
    public required LocalizedText Name { get; init; }

    /// <summary>Optional description for the designer's list.</summary>
    public LocalizedText? Description { get; init; }

    /// <summary>Declared variables; start input and expressions may only use these.</summary>
    public ImmutableArray<VariableDefinition> Variables { get; init; } = [];

    /// <summary>The nodes.</summary>
    public ImmutableArray<ActivityDefinition> Activities { get; init; } = [];

    /// <summary>The edges, each leaving an activity by one outcome.</summary>
    public ImmutableArray<ConnectionDefinition> Connections { get; init; } = [];

    /// <summary>Designer positions by activity id. Never read by the interpreter.</summary>
    public ImmutableDictionary<string, LayoutPosition> Layout { get; init; } = ImmutableDictionary<string, LayoutPosition>.Empty;
}

/// <summary>A declared workflow variable.</summary>
/// <param name="Name">Identifier used in expressions (letters, digits, underscore; not starting with a digit).</param>
/// <param name="Type">Value type the engine checks on input.</param>
/// <param name="Required">Whether start input must supply it.</param>
/// <param name="Default">Value before anything sets it.</param>
/// <param name="Personal">Holds personal data (name, phone, ID number): masked in journals and lists.</param>
public sealed record VariableDefinition(string Name, VariableType Type, bool Required = false, JsonElement? Default = null, bool Personal = false)
{
    /// <summary>Whether a (non-null) value is of this variable's type.</summary>
    public bool Accepts(JsonNode value) => Type switch
    {
        VariableType.String => value.GetValueKind() == JsonValueKind.String,
        VariableType.Number => value.GetValueKind() == JsonValueKind.Number,
        VariableType.Boolean => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        VariableType.DateTime => value.GetValueKind() == JsonValueKind.String &&
                                 // Through JSON text: a value built in code may hold a DateTimeOffset, which GetValue<string>() refuses.
                                 DateTimeOffset.TryParse(JsonElement.Parse(value.ToJsonString()).GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _),
        VariableType.Object => value is JsonObject,
        VariableType.Array => value is JsonArray,
        _ => true,
    };
}

/// <summary>Types a variable can declare.</summary>
public enum VariableType
{
    /// <summary>Text.</summary>
    String,
    /// <summary>A JSON number.</summary>
    Number,
    /// <summary>true or false.</summary>
    Boolean,
    /// <summary>An ISO 8601 date or date-time string.</summary>
    DateTime,
    /// <summary>A JSON object.</summary>
    Object,
    /// <summary>A JSON array.</summary>
    Array,
    /// <summary>Any JSON value.</summary>
    Any,
}

/// <summary>A node: an activity of a registered type with its properties.</summary>
/// <param name="Id">Unique within the definition.</param>
/// <param name="Type">Registered activity type, e.g. <c>HumanTask</c>.</param>
/// <param name="Properties">Raw property values; the activity type's descriptor says what they mean.</param>
/// <param name="DisplayName">Optional label shown on the canvas.</param>
public sealed record ActivityDefinition(string Id, string Type, ImmutableDictionary<string, JsonElement> Properties, LocalizedText? DisplayName = null)
{
    /// <summary>The property, if present and not JSON null.</summary>
    public JsonElement? Property(string name) =>
        Properties.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}

/// <summary>An edge from an activity's outcome to another activity.</summary>
/// <param name="From">Source activity id.</param>
/// <param name="To">Target activity id.</param>
/// <param name="Outcome">The source outcome; <see cref="DefaultOutcome"/> when omitted in JSON.</param>
public sealed record ConnectionDefinition(string From, string To, string Outcome = ConnectionDefinition.DefaultOutcome)
{
    /// <summary>The outcome a connection without <c>outcome</c> leaves by.</summary>
    public const string DefaultOutcome = "done";
}

/// <summary>A designer canvas position.</summary>
public sealed record LayoutPosition(double X, double Y);
