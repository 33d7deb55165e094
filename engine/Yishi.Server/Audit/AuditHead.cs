using System.Globalization;

namespace Yishi.Server.Audit;

/// <summary>
/// The newest entry of the chain as a short text, <c>sequence:hash</c>. Printed on a ballot's result notice or kept
/// from an export, it is an anchor: a later verification checks that the entry at that sequence still has that hash,
/// which catches a chain rewritten consistently from some entry on inside the database.
/// </summary>
/// <param name="Sequence">The entry's sequence number.</param>
/// <param name="Hash">Its hash, lower-case hex.</param>
public sealed record AuditHead(long Sequence, string Hash)
{
    /// <summary><c>sequence:hash</c>, the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Sequence}:{Hash}");

    /// <summary>Reads <c>sequence:hash</c> (a positive sequence, 64 hex digits); null when the text is not one.</summary>
    public static AuditHead? Parse(string? text)
    {
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0)
        {
            return null;
        }

        var hash = text![(colon + 1)..].Trim().ToLowerInvariant();
        return long.TryParse(text.AsSpan(0, colon).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0 && AuditChain.IsHash(hash)
            ? new AuditHead(sequence, hash)
            : null;
    }
}
