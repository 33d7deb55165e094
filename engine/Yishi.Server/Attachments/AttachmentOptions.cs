namespace Yishi.Server.Attachments;

/// <summary>The <c>Yishi:Attachments</c> settings: where a case's files are kept, how large and of which types they may be.</summary>
public sealed class AttachmentOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Yishi:Attachments";

    /// <summary>
    /// Where the files are kept, by content hash. A relative path is taken from the repository root (from the content
    /// root where there is no <c>Workflow.sln</c>), like the SQLite default <c>data/yishi.db</c>.
    /// </summary>
    public string Folder { get; set; } = "data/attachments";

    /// <summary>The largest file accepted, in bytes (20 MiB: a scanned agreement, a few photos, a recorded statement).</summary>
    public long MaxBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>
    /// The file types accepted, as extensions without the dot; unset means <see cref="AttachmentTypes.Defaults"/>. Each
    /// must be one the server recognises by its first bytes (<see cref="AttachmentTypes.Known"/>): an unknown one stops the start.
    /// </summary>
    /// <remarks>
    /// An array, not a list with the defaults in it: the configuration binder adds configured items to a list's
    /// existing ones, so setting the list would widen the defaults instead of replacing them.
    /// </remarks>
    public string[]? AllowedTypes { get; set; }

    /// <summary>The allowed extensions in effect, lower case.</summary>
    public IReadOnlyList<string> EffectiveAllowedTypes =>
        AllowedTypes is { Length: > 0 } configured
            ? [.. configured.Select(t => t.Trim().TrimStart('.').ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)]
            : AttachmentTypes.Defaults;
}
