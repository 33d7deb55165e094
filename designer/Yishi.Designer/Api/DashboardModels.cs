namespace Yishi.Designer.Api;

// The dashboard document as GET /api/dashboard writes it (see the server's Dashboard/DashboardViews.cs).

/// <summary>A name in Chinese and English.</summary>
public sealed record DashboardLabel(string Zh, string En)
{
    /// <summary>The name in the page's language.</summary>
    public string In(PageText text) => text.T(Zh, En);
}

/// <summary>The dashboard's figures for the chosen units, workflow and period.</summary>
public sealed record DashboardFigures(string? OrgUnitId, string? DefinitionId, int Days, DateTimeOffset Since, DateTimeOffset Now, int OpenCases,
    IReadOnlyList<WorkflowOpenCases> OpenByWorkflow, IReadOnlyList<StepOpenCases> OpenBySteps, OverdueTasks Overdue, HandlingTime Handling,
    TransferFigures Transfers, IReadOnlyList<BallotTurnout> Ballots, IReadOnlyList<DashboardChoice> OrgUnits, IReadOnlyList<DashboardChoice> Workflows);

public sealed record WorkflowOpenCases(string DefinitionId, DashboardLabel Name, int Open, int Waiting, int Running, int Faulted);

public sealed record StepOpenCases(string DefinitionId, string ActivityId, DashboardLabel Name, string Kind, int Cases);

public sealed record OverdueTasks(int Total, IReadOnlyList<WorkflowCount> ByWorkflow);

public sealed record WorkflowCount(string DefinitionId, DashboardLabel Name, int Count);

public sealed record HandlingTime(int Completed, double? AverageWorkingDays, IReadOnlyList<WorkflowHandlingTime> ByWorkflow);

public sealed record WorkflowHandlingTime(string DefinitionId, DashboardLabel Name, int Completed, double AverageWorkingDays);

public sealed record TransferFigures(int Total, IReadOnlyList<UnitCount> ByReceivingUnit);

public sealed record UnitCount(string OrgUnitId, DashboardLabel Name, int Count);

public sealed record BallotTurnout(string BallotId, string InstanceId, DashboardLabel Title, string Status, int Electorate, int Voted, double TurnoutPercent,
    DateTimeOffset ClosesAt);

public sealed record DashboardChoice(string Id, DashboardLabel Name);

/// <summary>What the dashboard is narrowed to: an org unit (null: all of the viewer's), a workflow (null: all) and the days of the period.</summary>
public sealed record DashboardFilter(string? OrgUnitId, string? DefinitionId, int Days);
