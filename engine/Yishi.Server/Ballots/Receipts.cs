using System.Security.Cryptography;
using System.Text;

namespace Yishi.Server.Ballots;

/// <summary>
/// Receipt codes: 60 random bits the voter keeps (<c>7KQ2-M9XD-4TRW</c>) to check later that their ballot was
/// counted and, where the ballot allows, to change it. The server keeps only a hash beside the choice, salted with the
/// ballot's id so one code means nothing on another ballot.
/// </summary>
internal static class Receipts
{
    // Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand is not mistaken.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new code.</summary>
    public static string NewCode()
    {
        Span<byte> bytes = stackalloc byte[12];
        RandomNumberGenerator.Fill(bytes);
        var plain = new StringBuilder(12);
        foreach (var b in bytes)
        {
            plain.Append(Alphabet[b & 31]);
        }

        return Grouped(plain.ToString());
    }

    /// <summary>A code as typed, shown the way it was handed out; null when it is not code-shaped.</summary>
    public static string? Display(string? code) => Normalize(code) is { } plain ? Grouped(plain) : null;

    private static string Grouped(string plain) => $"{plain[..4]}-{plain[4..8]}-{plain[8..]}";

    /// <summary>The code as typed, made canonical: case, spaces and dashes do not matter, and O/I/L read as 0/1/1.</summary>
    public static string? Normalize(string? code)
    {
        if (code is null)
        {
            return null;
        }

        var plain = new StringBuilder(12);
        foreach (var c in code.ToUpperInvariant())
        {
            var mapped = c switch { 'O' => '0', 'I' or 'L' => '1', _ => c };
            if (mapped is '-' or ' ')
            {
                continue;
            }

            if (!Alphabet.Contains(mapped, StringComparison.Ordinal))
            {
                return null;
            }

            plain.Append(mapped);
        }

        return plain.Length == 12 ? plain.ToString() : null;
    }

    /// <summary>The stored hash of a code on a ballot; null when the code is not code-shaped.</summary>
    public static string? Hash(string ballotId, string? code) =>
        Normalize(code) is { } plain ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ballotId + ":" + plain))) : null;
}
