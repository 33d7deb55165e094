namespace Yishi.Server.Attachments;

/// <summary>
/// A file attached to a case (<c>yishi_case_attachments</c>). The bytes live in the attachment folder under their
/// SHA-256, once however many cases hold the same file; the row keeps what the uploader called it.
/// </summary>
public sealed class CaseAttachment
{
    /// <summary>Time-ordered, so a case's files list in the order they came.</summary>
    public required string Id { get; set; }

    /// <summary>The case (workflow instance) the file belongs to.</summary>
    public required string InstanceId { get; set; }

    /// <summary>The name as uploaded, without any folder: the case's content, shown to those who see the case, never logged.</summary>
    public required string FileName { get; set; }

    /// <summary>The type the server recognised (from the extension, checked against the first bytes), not the one the client claimed.</summary>
    public required string ContentType { get; set; }

    /// <summary>In bytes.</summary>
    public long Size { get; set; }

    /// <summary>The SHA-256 of the content, lower-case hex: the file's name in the store.</summary>
    public required string Sha256 { get; set; }

    /// <summary>What the uploader said the file is, if anything.</summary>
    public string? Description { get; set; }

    /// <summary>The user id of the uploader.</summary>
    public required string AddedBy { get; set; }

    /// <summary>When, by the server's clock (UTC).</summary>
    public DateTimeOffset AddedAt { get; set; }
}
