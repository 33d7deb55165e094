namespace Yishi.Server.Audit;

/// <summary>What a walk over the whole audit chain found.</summary>
/// <param name="Valid">Every entry matches its hash, links to its predecessor, and (with an anchor) the anchored entry is unchanged.</param>
/// <param name="Entries">How many entries were checked before the walk ended (all of them when valid).</param>
/// <param name="BrokenAt">The first sequence that does not fit, when not valid.</param>
/// <param name="Reason">Why it does not fit, in plain words.</param>
/// <param name="Head">The newest entry stored, or null for an empty chain.</param>
public sealed record AuditVerification(bool Valid, long Entries, long? BrokenAt, string? Reason, AuditHead? Head)
{
    /// <summary>An intact chain.</summary>
    public static AuditVerification Intact(long entries, AuditHead? head) => new(true, entries, null, null, head);

    /// <summary>A chain broken at <paramref name="sequence"/>.</summary>
    public static AuditVerification Broken(long entries, long sequence, string reason, AuditHead? head) => new(false, entries, sequence, reason, head);
}
