namespace Yishi.Server.Proposals;

/// <summary>The <c>Yishi:Proposals</c> settings.</summary>
public sealed class ProposalOptions
{
    /// <summary>The workflow a resident's proposal starts: its first steps gather co-signers and review the topic.</summary>
    public string Workflow { get; set; } = "resident-consultation";

    /// <summary>How often the loop looks for new proposals, proposals whose time is up and decisions still to pass on.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
