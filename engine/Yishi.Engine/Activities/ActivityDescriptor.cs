using System.Collections.Immutable;
using Yishi.Engine.Definitions;

namespace Yishi.Engine.Activities;

/// <summary>What kind of value a property holds; the designer picks its editor from this and the UI hint.</summary>
public enum PropertyKind
{
    /// <summary>Plain text.</summary>
    Text,
    /// <summary>Text per locale.</summary>
    LocalizedText,
    /// <summary>A Scriban expression.</summary>
    Expression,
    /// <summary>ISO 8601 (<c>P3D</c>) or working time (<c>{"workingDays": 5}</c>).</summary>
    Duration,
    /// <summary><c>{"role": "mediator"}</c>, <c>{"user": "u-17"}</c> or <c>{"expression": "…"}</c>.</summary>
    Assignee,
    /// <summary>A list of form fields.</summary>
    FormFields,
    /// <summary>A list of names.</summary>
    StringList,
    /// <summary>A number.</summary>
    Number,
    /// <summary>true or false.</summary>
    Boolean,
    /// <summary>One of <see cref="PropertyDescriptor.Choices"/>.</summary>
    Choice,
    /// <summary>The name of a declared variable.</summary>
    VariableName,
    /// <summary>The id of another workflow definition.</summary>
    DefinitionId,
    /// <summary>An object whose values are expressions, e.g. sub-workflow input.</summary>
    ExpressionMap,
    /// <summary>Any JSON value.</summary>
    Json,
}

/// <summary>Describes one property of an activity type.</summary>
/// <param name="Name">The key under <c>properties</c>.</param>
/// <param name="Kind">The value kind.</param>
/// <param name="DisplayName">Label in the designer.</param>
public sealed record PropertyDescriptor(string Name, PropertyKind Kind, LocalizedText DisplayName)
{
    /// <summary>Whether the property must be set.</summary>
    public bool Required { get; init; }

    /// <summary>Help text in the designer.</summary>
    public LocalizedText? Description { get; init; }

    /// <summary>Editor hint for the designer (e.g. <c>multiline</c>, <c>role-picker</c>); defaults from the kind.</summary>
    public string? UiHint { get; init; }

    /// <summary>The allowed values of a <see cref="PropertyKind.Choice"/>.</summary>
    public ImmutableArray<string> Choices { get; init; } = [];

    /// <summary>The value used when the property is absent, as JSON text.</summary>
    public string? DefaultJson { get; init; }
}

/// <summary>
/// Metadata of an activity type: everything the designer needs to show, configure and connect it, so the
/// designer never hard-codes an activity list.
/// </summary>
/// <param name="Type">The type name used in definitions.</param>
/// <param name="Category">Palette group, e.g. <c>Flow</c>, <c>People</c>, <c>Time</c>.</param>
/// <param name="DisplayName">Palette label.</param>
/// <param name="Description">What it does, in plain words.</param>
public sealed record ActivityDescriptor(string Type, string Category, LocalizedText DisplayName, LocalizedText Description)
{
    /// <summary>The properties it takes.</summary>
    public ImmutableArray<PropertyDescriptor> Properties { get; init; } = [];

    /// <summary>Outcomes every instance of the type has (empty when they come from a property).</summary>
    public ImmutableArray<string> FixedOutcomes { get; init; } = [ConnectionDefinition.DefaultOutcome];

    /// <summary>The property whose string list names the outcomes (HumanTask's <c>outcomes</c>, Fork's <c>branches</c>).</summary>
    public string? OutcomesProperty { get; init; }

    /// <summary>Whether a workflow can begin with it.</summary>
    public bool CanStartWorkflow { get; init; }

    /// <summary>Whether it can suspend the instance on a bookmark (breaks a busy loop).</summary>
    public bool Waits { get; init; }
}
