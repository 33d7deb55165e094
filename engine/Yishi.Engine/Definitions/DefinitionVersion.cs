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
public sealed record DefinitionVersion(string DefinitionId, int Version, DefinitionStatus Status, string Json, string ContentHash, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt)
{
    /// <summary>The change note given when it was published (「调解期限由30日改为20日」), plain text; null when none was given.</summary>
    public string? PublishNote { get; init; }

    /// <summary>Who published it (a user id); null for versions published by the server itself (shipped workflows) or before this was recorded.</summary>
    public string? PublishedBy { get; init; }
}

/// <summary>What a person says when publishing a version: a short change note, and who they are.</summary>
/// <param name="Note">Plain text, at most <see cref="MaxNoteLength"/> characters after trimming; blank means none.</param>
/// <param name="PublishedBy">The publisher's user id.</param>
public sealed record Publication(string? Note, string? PublishedBy)
{
    /// <summary>The longest change note: a sentence or two, not a document (the diff shows the detail).</summary>
    public const int MaxNoteLength = 500;

    /// <summary>The note as stored: trimmed, null when blank.</summary>
    public string? TrimmedNote => string.IsNullOrWhiteSpace(Note) ? null : Note.Trim();
}
