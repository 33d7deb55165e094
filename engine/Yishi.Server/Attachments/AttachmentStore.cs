using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Yishi.Server.Hosting;

namespace Yishi.Server.Attachments;

/// <summary>
/// The attachment folder: files named by their SHA-256 (<c>ab/cd/abcd…</c>), each content stored once. A file is
/// written to <c>tmp/</c> first and moved into place whole, so the store never holds a half-written file under a
/// hash, and a refused upload leaves nothing behind.
/// </summary>
internal sealed class AttachmentStore
{
    private const int BufferBytes = 81920;
    private const string StagingFolder = "tmp";

    public AttachmentStore(IOptions<AttachmentOptions> options, IHostEnvironment environment) =>
        Folder = RepositoryPaths.Resolve(environment.ContentRootPath, options.Value.Folder);

    /// <summary>The absolute path of the store.</summary>
    public string Folder { get; }

    /// <summary>Where the content with this SHA-256 (lower-case hex) is kept.</summary>
    public string PathOf(string sha256) => Path.Combine(Folder, sha256[..2], sha256[2..4], sha256);

    /// <summary>
    /// Copies <paramref name="content"/> to a staging file, hashing and counting as it goes. Null when the content is
    /// longer than <paramref name="maxBytes"/>: the copy stops there and the staging file is gone. Whatever the
    /// request's Content-Length said, only the bytes that arrive count.
    /// </summary>
    public async Task<StagedFile?> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(Folder, StagingFolder);
        Directory.CreateDirectory(staging);
        var path = Path.Combine(staging, Guid.NewGuid().ToString("N") + ".part");
        var head = new byte[AttachmentTypes.HeadBytes];
        var headLength = 0;
        long size = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        var complete = false;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferBytes), cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        return null;
                    }

                    var toHead = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, toHead).CopyTo(head.AsSpan(headLength));
                    headLength += toHead;
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                // On disk before it is moved into place: after a power cut a hash never names a file shorter than its content.
                file.Flush(flushToDisk: true);
            }

            complete = true;
            return new StagedFile(path, Convert.ToHexStringLower(hash.GetHashAndReset()), size, head.AsMemory(0, headLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!complete)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>
    /// Moves a staged file into place under its hash, unless the store holds that content already (then the staged
    /// copy is simply dropped when it is disposed).
    /// </summary>
    public void Keep(StagedFile staged)
    {
        var target = PathOf(staged.Sha256);
        if (File.Exists(target))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            // A rename within one file system: the file appears whole or not at all.
            File.Move(staged.Path, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // The same content, uploaded at the same moment by someone else, got there first.
        }
    }
}

/// <summary>An upload written to the staging folder and not yet kept; disposing it removes what is left of it.</summary>
internal sealed class StagedFile(string path, string sha256, long size, ReadOnlyMemory<byte> head) : IDisposable
{
    /// <summary>The staging file.</summary>
    public string Path { get; } = path;

    /// <summary>The content's SHA-256, lower-case hex.</summary>
    public string Sha256 { get; } = sha256;

    /// <summary>In bytes.</summary>
    public long Size { get; } = size;

    /// <summary>The first bytes (up to <see cref="AttachmentTypes.HeadBytes"/>), to check the type by.</summary>
    public ReadOnlyMemory<byte> Head { get; } = head;

    /// <summary>Deletes the staging file if it was not moved into the store (a refusal, or content stored already).</summary>
    public void Dispose() => File.Delete(Path);
}
