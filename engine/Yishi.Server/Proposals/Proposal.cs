namespace Yishi.Server.Proposals;

/// <summary>
/// A topic up for co-signing (联名), made from a Cosign step's outbox row and named by it. Residents of the case's unit
/// and the units below sign it; it is <c>reached</c> once enough have, <c>lapsed</c> when its time ran out first.
/// </summary>
public sealed class Proposal
{
    public required string Id { get; set; }

    public required string InstanceId { get; set; }

    public required string ActivityId { get; set; }

    /// <summary>The case's org path: who may see and sign it.</summary>
    public string? Scope { get; set; }

    public required string Topic { get; set; }

    public string? Description { get; set; }

    /// <summary>Signatures needed, the proposer not counted.</summary>
    public int Threshold { get; set; }

    public int Signatures { get; set; }

    public DateTimeOffset OpensAt { get; set; }

    public DateTimeOffset ClosesAt { get; set; }

    /// <summary><see cref="ClosesAt"/> in Unix milliseconds: comparable in SQL on every provider (SQLite stores offsets as text).</summary>
    public long ClosesAtMs { get; set; }

    /// <summary><see cref="ProposalStatus"/>.</summary>
    public required string Status { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Whether the case has been moved on by the decision (or no longer waited for it).</summary>
    public bool Resumed { get; set; }
}

/// <summary>One resident's signature; the key keeps it to one each, also against two requests at once.</summary>
public sealed class Cosignature
{
    public required string ProposalId { get; set; }

    public required string ResidentId { get; set; }

    public DateTimeOffset SignedAt { get; set; }
}

/// <summary>Where a proposal stands.</summary>
public static class ProposalStatus
{
    public const string Open = "open";

    /// <summary>Enough residents signed: the case goes on by <c>reached</c>.</summary>
    public const string Reached = Engine.Activities.BuiltIn.CosignActivity.Reached;

    /// <summary>Its time ran out first: the case goes on by <c>lapsed</c>.</summary>
    public const string Lapsed = Engine.Activities.BuiltIn.CosignActivity.Lapsed;
}
