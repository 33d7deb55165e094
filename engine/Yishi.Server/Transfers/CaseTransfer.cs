namespace Yishi.Server.Transfers;

/// <summary>A case handed from one org unit to another (转办), with why and by whom. The sending unit keeps reading the case.</summary>
public sealed class CaseTransfer
{
    public required string Id { get; set; }

    public required string InstanceId { get; set; }

    public required string FromOrgUnitId { get; set; }

    /// <summary>The sending unit's path: its staff (and the units above it) keep read access.</summary>
    public required string FromPath { get; set; }

    public required string ToOrgUnitId { get; set; }

    public required string ToPath { get; set; }

    public required string Reason { get; set; }

    public required string By { get; set; }

    public DateTimeOffset At { get; set; }
}
