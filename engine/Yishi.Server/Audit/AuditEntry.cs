namespace Yishi.Server.Audit;

/// <summary>
/// One link of the audit chain (<c>yishi_audit</c>): a life-cycle or turnout event of a ballot or a consultation.
/// It never holds a ballot's choices or personal data (names, phones, opinion texts): only ids, counts, stances and
/// staff's stated reasons. Rows are only ever inserted; <see cref="Hash"/> seals the row and its predecessor's hash,
/// so changing, removing or inserting a row breaks every later link.
/// </summary>
public sealed record AuditEntry
{
    /// <summary>1, 2, 3…: assigned by <see cref="AuditLog"/> as the previous entry's + 1, never by the database.</summary>
    public required long Sequence { get; init; }

    /// <summary>When it was appended, UTC, whole milliseconds (every provider stores that exactly, so the hash survives a round trip).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>What happened, e.g. <c>ballot.opened</c>, <c>opinion.hidden</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>What it happened to, e.g. <c>ballot:o-123</c>, <c>consultation:o-456</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>Details as compact JSON text, hashed exactly as stored.</summary>
    public required string Data { get; init; }

    /// <summary>The previous entry's <see cref="Hash"/> (64 zeros for the first), lower-case hex.</summary>
    public required string PrevHash { get; init; }

    /// <summary>SHA-256 of this entry's canonical encoding (see <see cref="AuditChain"/>), lower-case hex.</summary>
    public required string Hash { get; init; }
}
