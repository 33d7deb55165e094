using Yishi.Server.Instances;

namespace Yishi.Server.Workbench;

/// <summary>A task in the workbench inbox, with what a mediator needs to pick the next one: the case, the step, the parties (masked), the countdown and the risks.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="InstanceId">Its case.</param>
/// <param name="CaseTitle">The case's title (its <c>case_title</c>-like variable), or the workflow's name when it has none.</param>
/// <param name="CaseNumber">The case number (its correlation key), if any.</param>
/// <param name="DefinitionId">The workflow.</param>
/// <param name="Workflow">The workflow's name in the asked language.</param>
/// <param name="ActivityId">The step's activity.</param>
/// <param name="Step">The task's title in the asked language.</param>
/// <param name="Role">The role it is for, if any.</param>
/// <param name="Assignee">Who holds it (user id), if anyone.</param>
/// <param name="AssigneeName">Their name, masked.</param>
/// <param name="Mine">Whether the caller holds it.</param>
/// <param name="OrgUnitId">The case's org unit.</param>
/// <param name="OrgUnit">Its name in the asked language.</param>
/// <param name="Parties">The parties' names, masked.</param>
/// <param name="CreatedAt">When the task opened.</param>
/// <param name="Countdown">Its deadline in working days; null without one.</param>
/// <param name="RiskLevel">The case file's risk level (<c>low</c>, <c>medium</c>, <c>high</c>), if assessed.</param>
/// <param name="EscalationRisk">Whether staff judged that the dispute may escalate.</param>
/// <param name="Priority">The task's priority (<c>low</c>, <c>normal</c>, <c>high</c>, <c>urgent</c>).</param>
internal sealed record InboxTask(string TaskId, string InstanceId, string CaseTitle, string? CaseNumber, string DefinitionId, string Workflow, string ActivityId,
    string Step, string? Role, string? Assignee, string? AssigneeName, bool Mine, string? OrgUnitId, string? OrgUnit, IReadOnlyList<string> Parties,
    DateTimeOffset CreatedAt, Countdown? Countdown, string? RiskLevel, bool EscalationRisk, string Priority);

/// <summary>A value to filter by and how the page names it.</summary>
internal sealed record FilterOption(string Value, string Label);

/// <summary>The inbox: one tab's tasks after the filters, the counts of every tab, and the filters' choices (from the tab before filtering).</summary>
internal sealed record InboxAnswer(IReadOnlyList<InboxTask> Tasks, int Mine, int Team, int Overdue, IReadOnlyList<FilterOption> Workflows,
    IReadOnlyList<FilterOption> Steps, IReadOnlyList<FilterOption> OrgUnits);

/// <summary>A field of a task's form, as the page builds it.</summary>
internal sealed record TaskFormField(string Name, string Type, string Label, bool Required, IReadOnlyList<string> Options, int? MaxLength, double? Min, double? Max);

/// <summary>
/// An open task of a case and what the caller may do with it: complete it now (it is theirs, or their role's and unclaimed),
/// claim it (their role's and nobody holds it), or give it to someone (they supervise the case's unit).
/// </summary>
internal sealed record CaseTask(string Id, string ActivityId, string Title, string? Instructions, string? Role, string? Assignee, string? AssigneeName,
    DateTimeOffset CreatedAt, Countdown? Countdown, IReadOnlyList<string> Outcomes, IReadOnlyList<TaskFormField> Form, bool MayComplete, bool MayClaim, bool MayAssign);

/// <summary>
/// The case page's header, parties and open tasks in one answer, with whether the caller may reveal a party's full details
/// (with a reason, audited) and hand the case on (they work its unit).
/// </summary>
internal sealed record WorkbenchCase(string Id, string Title, string? CaseNumber, string DefinitionId, string Workflow, int Version, string Status,
    string? OrgUnitId, string? OrgUnit, DateTimeOffset CreatedAt, Countdown? Countdown, string? RiskLevel, bool EscalationRisk,
    IReadOnlyList<CasePartyEndpoints.PartyView> Parties, IReadOnlyList<CaseTask> Tasks, bool MayReveal, bool MayTransfer);

/// <summary>Why a party's full details are needed (e.g. to phone them about a session).</summary>
internal sealed record RevealRequest(string? Reason);

/// <summary>A party's details unmasked, for the one person who asked, once.</summary>
internal sealed record RevealedParty(string Id, string Role, string Name, string? Phone, string? IdNumber);

/// <summary>Giving a task to another member of staff, with a reason.</summary>
internal sealed record AssignRequest(string? UserId, string? Reason);

/// <summary>Someone a task may be given to: staff of the case's unit (or above) with the task's role.</summary>
internal sealed record Assignee(string Id, string DisplayName, string OrgUnitId);

/// <summary>An org unit a case can be handed to.</summary>
internal sealed record OrgUnitOption(string Id, string? ParentId, string Kind, string Name);
