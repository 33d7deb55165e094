using System.IO.Compression;

namespace Yishi.Server.Attachments;

/// <summary>
/// A file type the server recognises: its extension, the content type it is served with, and how its first bytes
/// look. The content type is the server's, never the uploader's: a client's <c>Content-Type</c> proves nothing.
/// </summary>
/// <param name="Extension">Lower case, without the dot.</param>
/// <param name="ContentType">What a download is served as.</param>
/// <param name="Starts">Whether the file's first bytes (up to <see cref="AttachmentTypes.HeadBytes"/>) look like this type.</param>
/// <param name="Package">For Office Open XML (a ZIP): the part the package must hold, e.g. <c>word/document.xml</c>.</param>
internal sealed record AttachmentType(string Extension, string ContentType, AttachmentTypes.Signature Starts, string? Package = null);

/// <summary>The file types a case may hold, and the check that a file is what its name says.</summary>
internal static class AttachmentTypes
{
    /// <summary>How many of a file's first bytes are kept to check its type.</summary>
    public const int HeadBytes = 8 * 1024;

    /// <summary>Whether a file's first bytes fit a type.</summary>
    public delegate bool Signature(ReadOnlySpan<byte> head);

    private static readonly byte[] Ole2 = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] Zip = "PK\u0003\u0004"u8.ToArray();

    /// <summary>Every type the server can check. Those not in <see cref="Defaults"/> can be allowed by configuration.</summary>
    public static readonly IReadOnlyList<AttachmentType> Known =
    [
        new("pdf", "application/pdf", h => h.StartsWith("%PDF-"u8)),
        new("jpg", "image/jpeg", h => h.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])),
        new("jpeg", "image/jpeg", h => h.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])),
        new("png", "image/png", h => h.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])),
        new("gif", "image/gif", h => h.StartsWith("GIF87a"u8) || h.StartsWith("GIF89a"u8)),
        new("webp", "image/webp", h => h.StartsWith("RIFF"u8) && h.Length >= 12 && h[8..12].SequenceEqual("WEBP"u8)),
        // Word and Excel 97–2003 (and WPS, which many offices use) share the OLE2 compound-file header.
        new("doc", "application/msword", h => h.StartsWith(Ole2)),
        new("xls", "application/vnd.ms-excel", h => h.StartsWith(Ole2)),
        new("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", h => h.StartsWith(Zip), "word/document.xml"),
        new("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", h => h.StartsWith(Zip), "xl/workbook.xml"),
        // Plain text has no signature; it has no NUL bytes either (UTF-8 and GB 18030 alike), which every executable has near its start.
        new("txt", "text/plain", h => !h.Contains((byte)0)),
        new("mp3", "audio/mpeg", h => h.StartsWith("ID3"u8) || (h.Length >= 2 && h[0] == 0xFF && (h[1] & 0xE0) == 0xE0)),
        new("m4a", "audio/mp4", IsIsoMedia),
        new("amr", "audio/amr", h => h.StartsWith("#!AMR\n"u8) || h.StartsWith("#!AMR-WB\n"u8)),
        new("wav", "audio/wav", h => h.StartsWith("RIFF"u8) && h.Length >= 12 && h[8..12].SequenceEqual("WAVE"u8)),
        new("mp4", "video/mp4", IsIsoMedia),
    ];

    /// <summary>
    /// What a case accepts unless configured otherwise: documents (PDF, Word, Excel, text), photos (JPEG, PNG, GIF,
    /// WebP) and recorded statements (MP3, M4A, AMR — what phones record). Off by default: legacy Excel (.xls, which
    /// carries macros more often than it carries evidence), WAV and MP4 (large for the default size limit).
    /// </summary>
    public static readonly IReadOnlyList<string> Defaults = ["pdf", "jpg", "jpeg", "png", "gif", "webp", "doc", "docx", "xlsx", "txt", "mp3", "m4a", "amr"];

    /// <summary>The known type with this extension (lower case, no dot), or null.</summary>
    public static AttachmentType? Find(string extension) => Known.FirstOrDefault(t => t.Extension == extension);

    /// <summary>The file name's extension, lower case and without the dot; empty when it has none.</summary>
    public static string ExtensionOf(string fileName) => Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();

    /// <summary>
    /// Whether the stored bytes are what the type says: the first bytes, never an executable's, and for Office Open
    /// XML a ZIP that holds the document's main part (a renamed .jar or .apk is a ZIP too).
    /// </summary>
    public static async Task<bool> FitsAsync(this AttachmentType type, ReadOnlyMemory<byte> head, string path, CancellationToken cancellationToken)
    {
        if (IsExecutable(head.Span) || !type.Starts(head.Span))
        {
            return false;
        }

        if (type.Package is not { } part)
        {
            return true;
        }

        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
            // Reads the central directory only: nothing is unpacked, so a ZIP bomb costs nothing here.
            await using var package = await ZipArchive.CreateAsync(file, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, cancellationToken);
            return package.GetEntry("[Content_Types].xml") is not null && package.GetEntry(part) is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    // Windows (MZ), Linux (ELF), macOS (Mach-O) executables and scripts (#!, except AMR's own "#!AMR").
    private static bool IsExecutable(ReadOnlySpan<byte> head) =>
        head.StartsWith("MZ"u8) || head.StartsWith("\u007FELF"u8)
        || head.StartsWith((ReadOnlySpan<byte>)[0xCF, 0xFA, 0xED, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xCA, 0xFE, 0xBA, 0xBE])
        || (head.StartsWith("#!"u8) && !head.StartsWith("#!AMR"u8));

    // ISO base media (MP4, M4A): a box size, then "ftyp".
    private static bool IsIsoMedia(ReadOnlySpan<byte> head) => head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8);
}
