using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Yishi.Engine.Definitions;

namespace Yishi.Designer.Api;

/// <summary>JSON as the API writes it: camelCase names, enums as strings.</summary>
public static class DesignerJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}

/// <summary>A row of the definition list.</summary>
public sealed record DefinitionRow(string DefinitionId, JsonNode? Name, string OrgUnitId, int LatestVersion, string LatestStatus, int? PublishedVersion);

/// <summary>A template rendered with sample data: each part's text, or why it could not be.</summary>
public sealed record TemplatePreview(bool Rendered, IReadOnlyDictionary<string, string> Parts, IReadOnlyList<string> Errors, string? Refusal);

/// <summary>A version in a definition's history.</summary>
public sealed record VersionRow(string DefinitionId, int Version, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt)
{
    /// <summary>The change note given when it was published.</summary>
    public string? Note { get; init; }

    /// <summary>Who published it (a user id); null for shipped workflows the server published itself.</summary>
    public string? PublishedBy { get; init; }
}

/// <summary>One property of an activity type, as its metadata describes it.</summary>
public sealed record PropertyType(string Name, string Kind, LocalizedText DisplayName, bool Required, LocalizedText? Description, string? UiHint,
    IReadOnlyList<string>? Choices, string? DefaultJson);

/// <summary>A registered activity type: what the palette offers and the properties panel edits.</summary>
public sealed record ActivityType(string Type, string Category, LocalizedText DisplayName, LocalizedText? Description, IReadOnlyList<PropertyType> Properties,
    IReadOnlyList<string>? FixedOutcomes, string? OutcomesProperty, bool Waits);

/// <summary>A problem the engine or the server found, on an activity and property where it has one; <paramref name="Path"/> is its JSON pointer, which says which form field or list item it is about.</summary>
public sealed record Problem(string Severity, string Code, string Message, string? ActivityId, string? Property, string? Path = null)
{
    public bool IsError => Severity == "error";
}

/// <summary>The server's refusal: its status, title, detail and any problems.</summary>
public sealed record Refusal(int Status, string Title, string? Detail, IReadOnlyList<Problem> Problems)
{
    /// <summary>One line for a person: the title, the detail and the first few errors.</summary>
    public string Describe() =>
        string.Join(" ", new[] { Title, Detail }.Where(t => !string.IsNullOrEmpty(t)))
        + (Problems.Any(p => p.IsError) ? "：" + string.Join("；", Problems.Where(p => p.IsError).Take(5).Select(p => p.Message)) : "");
}

/// <summary>A definition version being edited: the document, and the ETag that proves which version the edit started from.</summary>
public sealed record EditedDefinition(string DefinitionId, int Version, string Status, string OrgUnitId, string ETag, JsonObject Definition, IReadOnlyList<Problem> Problems);

/// <summary>An answer or a refusal.</summary>
public sealed record ApiResult<T>(T? Value, Refusal? Refusal);
