using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Yishi.Server.Problems;

namespace Yishi.Server.Attachments;

/// <summary>
/// Reads an upload (<c>multipart/form-data</c>: one file in <c>file</c>, an optional <c>description</c>) straight
/// from the request body into the store's staging folder, checking its name, size and type on the way. Nothing is
/// buffered whole, in memory or elsewhere, and every refusal leaves no file behind.
/// </summary>
internal static class AttachmentForm
{
    public const string FileField = "file";
    public const string DescriptionField = "description";
    public const int MaxFileNameLength = 255;
    public const int MaxDescriptionLength = 500;

    /// <summary>Room around the file for boundaries, part headers and the description; the request may be this much larger than the file.</summary>
    public const long Overhead = 64 * 1024;

    /// <summary>What was read: the staged file (the caller keeps or disposes it), or why the upload is refused.</summary>
    public sealed record Reading(Upload? Upload, Refusal? Refusal);

    /// <param name="FileName">The name as uploaded, without folders.</param>
    /// <param name="Type">The type its extension names and its content fits.</param>
    /// <param name="File">The staged content.</param>
    /// <param name="Description">What the uploader said it is.</param>
    public sealed record Upload(string FileName, AttachmentType Type, StagedFile File, string? Description);

    /// <param name="Status">The HTTP status.</param>
    /// <param name="Name">The problem's stable name (also what the log says, without the file's name).</param>
    /// <param name="Title">A short title.</param>
    /// <param name="Detail">What to do about it.</param>
    public sealed record Refusal(int Status, string Name, string Title, string Detail)
    {
        public IResult ToProblem() => Problem.Of(Status, Name, Title, Detail);
    }

    public static async Task<Reading> ReadAsync(HttpRequest request, AttachmentStore store, AttachmentOptions options, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media) || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(media.Boundary) is not { Length: > 0 and <= 70 } boundary)
        {
            return Refuse(415, "multipart-required", "Send the file as multipart/form-data",
                $"Send multipart/form-data with the file in the field '{FileField}' and, optionally, a '{DescriptionField}'.");
        }

        var reader = new MultipartReader(boundary.Value!, request.Body);
        var allowed = options.EffectiveAllowedTypes;
        StagedFile? staged = null;
        string? fileName = null;
        AttachmentType? type = null;
        string? description = null;
        var accepted = false;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                var disposition = section.GetContentDispositionHeader();
                if (disposition is null || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    return BadRequest("Every part of the form needs a Content-Disposition of form-data with a name.");
                }

                var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (field == FileField)
                {
                    if (staged is not null)
                    {
                        return BadRequest($"Send one file per upload in '{FileField}'.");
                    }

                    fileName = NameOf(disposition);
                    if (fileName is null)
                    {
                        return BadRequest($"'{FileField}' must be a file with a name of 1 to {MaxFileNameLength} characters, without control characters.");
                    }

                    // By the name first: a type that is not accepted is refused before a byte of it is stored.
                    type = AttachmentTypes.Find(AttachmentTypes.ExtensionOf(fileName));
                    if (type is null || !allowed.Contains(type.Extension))
                    {
                        return NotAllowed(allowed);
                    }

                    staged = await store.StageAsync(section.Body, options.MaxBytes, cancellationToken);
                    if (staged is null)
                    {
                        return TooLarge(options.MaxBytes);
                    }

                    if (!await type.FitsAsync(staged.Head, staged.Path, cancellationToken))
                    {
                        return Refuse(415, "file-content-mismatch", "The file is not what its name says",
                            $"The content of this file is not {type.Extension}. Accepted: {string.Join(", ", allowed)}.");
                    }
                }
                else if (field == DescriptionField)
                {
                    description = await TextOfAsync(section.Body, cancellationToken);
                    if (description is null)
                    {
                        return BadRequest($"'{DescriptionField}' is at most {MaxDescriptionLength} characters of text.");
                    }
                }

                // Any other field is passed over: the reader skips it, and the request's size limit bounds it.
            }

            if (staged is null || type is null || fileName is null)
            {
                return BadRequest($"The form has no file in '{FileField}'.");
            }

            accepted = true;
            return new Reading(new Upload(fileName, type, staged, description is null or { Length: 0 } ? null : description), null);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server's own limit on the request (the file's limit plus the form around it) was reached first.
            return TooLarge(options.MaxBytes);
        }
        catch (InvalidDataException)
        {
            return BadRequest("The multipart body is malformed.");
        }
        finally
        {
            if (!accepted)
            {
                staged?.Dispose();
            }
        }
    }

    /// <summary>The largest request body for an upload: the file's limit and the form around it.</summary>
    public static long MaxRequestBytes(AttachmentOptions options) => options.MaxBytes + Overhead;

    /// <summary>The file's name as uploaded, without folders (some browsers send a path); null when unusable.</summary>
    private static string? NameOf(ContentDispositionHeaderValue disposition)
    {
        if (!disposition.IsFileDisposition())
        {
            return null;
        }

        // filename* (RFC 5987) carries any name exactly; filename is quoted, and browsers put UTF-8 in it as it is.
        var raw = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.UnescapeAsQuotedString(disposition.FileName).Value;
        var name = raw?[(raw.LastIndexOfAny(['/', '\\']) + 1)..].Trim();
        return name is { Length: > 0 and <= MaxFileNameLength } && name.Trim('.').Length > 0 && !name.Any(char.IsControl) ? name : null;
    }

    /// <summary>The field's text, or null when it is longer than allowed or holds control characters other than line breaks and tabs.</summary>
    private static async Task<string?> TextOfAsync(Stream body, CancellationToken cancellationToken)
    {
        // A UTF-8 character is at most 4 bytes: more than that many bytes cannot be a description of the allowed length.
        var buffer = new byte[(MaxDescriptionLength * 4) + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, length).Trim();
        return length < buffer.Length && text.Length <= MaxDescriptionLength
            && !text.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t'))
            ? text
            : null;
    }

    private static Reading NotAllowed(IReadOnlyList<string> allowed) =>
        Refuse(415, "file-type-not-allowed", "This type of file is not accepted", $"Accepted: {string.Join(", ", allowed)}.");

    private static Reading TooLarge(long maxBytes) =>
        Refuse(413, "file-too-large", "The file is too large", $"A file may be at most {Size(maxBytes)}.");

    private static Reading BadRequest(string detail) => Refuse(400, "bad-request", "The upload is not valid", detail);

    private static Reading Refuse(int status, string name, string title, string detail) => new(null, new Refusal(status, name, title, detail));

    private static string Size(long bytes) =>
        bytes % (1024 * 1024) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB ({bytes} bytes)")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
