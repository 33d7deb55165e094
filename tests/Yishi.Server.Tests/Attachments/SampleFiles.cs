using System.IO.Compression;
using System.Security.Cryptography;

namespace Yishi.Server.Tests.Attachments;

/// <summary>Small files of each kind, made in the test: the first bytes that make them what they are, and a deterministic rest.</summary>
public static class SampleFiles
{
    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A PDF's header and a deterministic body of the given length.</summary>
    public static byte[] Pdf(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    public static byte[] Png(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        return bytes;
    }

    public static byte[] Amr() => [.. "#!AMR\n"u8, .. Enumerable.Range(0, 640).Select(i => (byte)(i * 7))];

    /// <summary>The start of a Windows executable: "MZ", then the zeros every PE header has.</summary>
    public static byte[] Executable() => [.. "MZ"u8, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, .. new byte[400]];

    public static byte[] Docx() =>
        Zip(("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("word/document.xml", "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>"));

    public static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        return buffer.ToArray();
    }
}
