namespace Yishi.Engine.Definitions;

/// <summary>The life of a definition version: draft → published (immutable) → retired.</summary>
public enum DefinitionStatus
{
    /// <summary>Being edited; cannot start instances.</summary>
    Draft,
    /// <summary>Immutable; new instances start on the newest published version.</summary>
    Published,
    /// <summary>No new instances; running ones continue.</summary>
    Retired,
}

/// <summary>One stored version of a definition.</summary>
/// <param name="DefinitionId">The definition.</param>
/// <param name="Version">1, 2, 3…</param>
/// <param name="Status">Draft, published or retired.</param>
/// <param name="Json">The definition document exactly as saved.</param>
/// <param name="ContentHash">SHA-256 of <paramref name="Json"/>, hex.</param>
/// <param name="CreatedAt">When the version was created.</param>
/// <param name="UpdatedAt">When its content or status last changed.</param>
/// <param name="PublishedAt">When it was published.</param>
public sealed record DefinitionVersion(string DefinitionId, int Version, DefinitionStatus Status, string Json, string ContentHash, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt);
