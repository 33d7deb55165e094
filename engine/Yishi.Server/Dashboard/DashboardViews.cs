namespace Yishi.Server.Dashboard;

/// <summary>A name in both of the product's languages.</summary>
/// <param name="Zh">The Chinese (zh-CN) form.</param>
/// <param name="En">The English form (the Chinese one when the workflow gives none).</param>
public sealed record DashboardLabel(string Zh, string En);

/// <summary>The figures of the dashboard, for the caller's org units (or the one chosen) and period.</summary>
/// <param name="OrgUnitId">The org unit the figures cover (with the units below it); null for an administrator's whole tree.</param>
/// <param name="DefinitionId">The workflow the figures are limited to; null for every workflow.</param>
/// <param name="Days">The period in days (30, 90 or 365) that completions, transfers and ballots are counted over.</param>
/// <param name="Since">The start of the period.</param>
/// <param name="Now">The moment the figures were taken: overdue means due before it.</param>
/// <param name="OpenCases">Cases still open (running, waiting or faulted), in total.</param>
/// <param name="OpenByWorkflow">Open cases per workflow, by instance status.</param>
/// <param name="OpenBySteps">Open cases per step they wait at; a case waiting at two steps (a fork) counts at each.</param>
/// <param name="Overdue">Open human tasks whose deadline has passed.</param>
/// <param name="Handling">Handling time of the cases completed in the period.</param>
/// <param name="Transfers">Cases handed between org units (转办) in the period.</param>
/// <param name="Ballots">Ballots under way (given notice or open) or closed in the period, with their turnout, latest closing first.</param>
/// <param name="OrgUnits">The org units the caller may choose from: their own and those below it (every unit for an administrator).</param>
/// <param name="Workflows">The workflows the caller may choose from: those with a published version they may run.</param>
public sealed record DashboardView(string? OrgUnitId, string? DefinitionId, int Days, DateTimeOffset Since, DateTimeOffset Now, int OpenCases,
    IReadOnlyList<WorkflowOpenCases> OpenByWorkflow, IReadOnlyList<StepOpenCases> OpenBySteps, OverdueTasks Overdue, HandlingTime Handling,
    TransferFigures Transfers, IReadOnlyList<BallotTurnout> Ballots, IReadOnlyList<DashboardChoice> OrgUnits, IReadOnlyList<DashboardChoice> Workflows);

/// <summary>Something the dashboard can be narrowed to.</summary>
/// <param name="Id">The org unit or workflow id to send back.</param>
/// <param name="Name">Its name.</param>
public sealed record DashboardChoice(string Id, DashboardLabel Name);

/// <summary>Open cases of one workflow.</summary>
/// <param name="DefinitionId">The workflow.</param>
/// <param name="Name">Its name.</param>
/// <param name="Open">Its open cases.</param>
/// <param name="Waiting">Of those, waiting at a step (a task, a timer, a ballot…).</param>
/// <param name="Running">Of those, moving on right now.</param>
/// <param name="Faulted">Of those, stopped by an incident that staff must look at.</param>
public sealed record WorkflowOpenCases(string DefinitionId, DashboardLabel Name, int Open, int Waiting, int Running, int Faulted);

/// <summary>Open cases waiting at one step of a workflow.</summary>
/// <param name="DefinitionId">The workflow.</param>
/// <param name="ActivityId">The step's activity id.</param>
/// <param name="Name">The step's name (a task's title, else the activity's display name, else its id).</param>
/// <param name="Kind">What it waits for: HumanTask, Timer, Message, SubWorkflow, Ballot, Consultation.</param>
/// <param name="Cases">How many open cases wait there.</param>
public sealed record StepOpenCases(string DefinitionId, string ActivityId, DashboardLabel Name, string Kind, int Cases);

/// <summary>Open human tasks past their deadline.</summary>
/// <param name="Total">All of them.</param>
/// <param name="ByWorkflow">Per workflow.</param>
public sealed record OverdueTasks(int Total, IReadOnlyList<WorkflowCount> ByWorkflow);

/// <summary>A count for one workflow.</summary>
/// <param name="DefinitionId">The workflow.</param>
/// <param name="Name">Its name.</param>
/// <param name="Count">The count.</param>
public sealed record WorkflowCount(string DefinitionId, DashboardLabel Name, int Count);

/// <summary>How long completed cases took, in working days of their unit's calendar (holidays and 调休 counted).</summary>
/// <param name="Completed">Cases completed in the period.</param>
/// <param name="AverageWorkingDays">Their average handling time in working days (working days after the start day up to the end day), one decimal; null when none completed.</param>
/// <param name="ByWorkflow">The same per workflow.</param>
public sealed record HandlingTime(int Completed, double? AverageWorkingDays, IReadOnlyList<WorkflowHandlingTime> ByWorkflow);

/// <summary>Handling time of one workflow's cases completed in the period.</summary>
/// <param name="DefinitionId">The workflow.</param>
/// <param name="Name">Its name.</param>
/// <param name="Completed">Cases completed.</param>
/// <param name="AverageWorkingDays">Their average in working days, one decimal.</param>
public sealed record WorkflowHandlingTime(string DefinitionId, DashboardLabel Name, int Completed, double AverageWorkingDays);

/// <summary>Cases handed from one org unit to another in the period, counted where they came from or went to within the figures' units.</summary>
/// <param name="Total">All transfers.</param>
/// <param name="ByReceivingUnit">Per receiving unit.</param>
public sealed record TransferFigures(int Total, IReadOnlyList<UnitCount> ByReceivingUnit);

/// <summary>A count for one org unit.</summary>
/// <param name="OrgUnitId">The unit.</param>
/// <param name="Name">Its name.</param>
/// <param name="Count">The count.</param>
public sealed record UnitCount(string OrgUnitId, DashboardLabel Name, int Count);

/// <summary>Turnout of one ballot: those who voted out of the frozen electorate (never what anyone chose).</summary>
/// <param name="BallotId">The ballot.</param>
/// <param name="InstanceId">Its case.</param>
/// <param name="Title">The matter voted on.</param>
/// <param name="Status"><c>notice</c>, <c>open</c> or <c>closed</c>, by the clock.</param>
/// <param name="Electorate">How many may vote (persons, households or representatives).</param>
/// <param name="Voted">How many have voted, online or on paper.</param>
/// <param name="TurnoutPercent">Voted out of the electorate, in percent with one decimal (0 for an empty electorate).</param>
/// <param name="ClosesAt">When voting closes or closed.</param>
public sealed record BallotTurnout(string BallotId, string InstanceId, DashboardLabel Title, string Status, int Electorate, int Voted, double TurnoutPercent,
    DateTimeOffset ClosesAt);
