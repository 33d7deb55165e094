using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Yishi.Server.Audit;

/// <summary>
/// How an entry is sealed, written down so that anyone holding an export can check it without Yishi:
/// <c>Hash = lower-hex(SHA-256(UTF-8(E)))</c>, where <c>E</c> is <c>yishi-audit-1\n</c> followed, for each field in
/// the order sequence, at, kind, subject, data, prevHash, by <c>&lt;UTF-8 byte length&gt;:&lt;field&gt;\n</c>. The
/// sequence is in decimal; <c>at</c> is ISO 8601 UTC with milliseconds (<c>2026-03-07T02:00:00.000Z</c>); data is
/// the JSON text exactly as stored. The length prefixes make the encoding unambiguous: no choice of field values
/// can shift text from one field into another and keep the hash.
/// </summary>
internal static class AuditChain
{
    /// <summary>The prevHash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    private const string Version = "yishi-audit-1\n";

    /// <summary>Compact JSON; Chinese stays readable in exports instead of becoming \u escapes.</summary>
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>The text of the data as it is stored and hashed.</summary>
    public static string DataText(JsonObject data) => data.ToJsonString(Compact);

    /// <summary>The instant as stored: UTC, cut to whole milliseconds (PostgreSQL keeps microseconds, SQL Server 100 ns, SQLite text).</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    /// <summary>The instant as hashed and exported.</summary>
    public static string FormatAt(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>An entry with its hash computed.</summary>
    public static AuditEntry Seal(long sequence, DateTimeOffset at, string kind, string subject, string data, string prevHash)
    {
        var stored = Truncate(at);
        return new AuditEntry
        {
            Sequence = sequence,
            At = stored,
            Kind = kind,
            Subject = subject,
            Data = data,
            PrevHash = prevHash,
            Hash = HashOf(sequence, FormatAt(stored), kind, subject, data, prevHash),
        };
    }

    /// <summary>The hash an entry should have, recomputed from its fields.</summary>
    public static string HashOf(AuditEntry entry) => HashOf(entry.Sequence, FormatAt(entry.At), entry.Kind, entry.Subject, entry.Data, entry.PrevHash);

    /// <summary>The hash of the canonical encoding of these fields.</summary>
    public static string HashOf(long sequence, string at, string kind, string subject, string data, string prevHash)
    {
        var text = new StringBuilder(Version);
        foreach (var field in (string[])[sequence.ToString(CultureInfo.InvariantCulture), at, kind, subject, data, prevHash])
        {
            text.Append(Encoding.UTF8.GetByteCount(field).ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>64 lower-case hex digits.</summary>
    public static bool IsHash(string text) => text.Length == 64 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
