using System.Text.Json.Nodes;

namespace Yishi.Designer.Api;

/// <summary>A task's deadline in working days of its case's calendar (negative <see cref="WorkingDaysLeft"/>: overdue by that many).</summary>
public sealed record Countdown(DateTimeOffset DueAt, int WorkingDaysLeft, bool Overdue, bool Warning, DateTimeOffset DueLocal);

/// <summary>A row of the workbench inbox; party names come masked.</summary>
public sealed record InboxTask(string TaskId, string InstanceId, string CaseTitle, string? CaseNumber, string DefinitionId, string Workflow, string ActivityId,
    string Step, string? Role, string? Assignee, string? AssigneeName, bool Mine, string? OrgUnitId, string? OrgUnit, IReadOnlyList<string> Parties,
    DateTimeOffset CreatedAt, Countdown? Countdown, string? RiskLevel, bool EscalationRisk, string Priority);

/// <summary>A value to filter by and its name.</summary>
public sealed record FilterOption(string Value, string Label);

/// <summary>One inbox tab after its filters, with every tab's count and the filters' choices.</summary>
public sealed record InboxAnswer(IReadOnlyList<InboxTask> Tasks, int Mine, int Team, int Overdue, IReadOnlyList<FilterOption> Workflows,
    IReadOnlyList<FilterOption> Steps, IReadOnlyList<FilterOption> OrgUnits);

/// <summary>What the inbox is filtered by; null or empty does not filter.</summary>
public sealed record InboxFilter(string View, string? DefinitionId = null, string? ActivityId = null, string? Risk = null, string? OrgUnitId = null, string? Search = null);

/// <summary>A field of a task's form: <see cref="Type"/> is text, number, date, choice, boolean or attachment.</summary>
public sealed record TaskFormField(string Name, string Type, string Label, bool Required, IReadOnlyList<string> Options, int? MaxLength, double? Min, double? Max);

/// <summary>An open task of a case, and what the signed-in person may do with it.</summary>
public sealed record CaseTask(string Id, string ActivityId, string Title, string? Instructions, string? Role, string? Assignee, string? AssigneeName,
    DateTimeOffset CreatedAt, Countdown? Countdown, IReadOnlyList<string> Outcomes, IReadOnlyList<TaskFormField> Form, bool MayComplete, bool MayClaim, bool MayAssign);

/// <summary>A party as lists show them: masked.</summary>
public sealed record CaseParty(string Id, string? UserId, string Role, string DisplayName, string? Phone, string? IdNumber, DateTimeOffset LinkedAt);

/// <summary>A case on the workbench: header, parties, open tasks.</summary>
public sealed record WorkbenchCase(string Id, string Title, string? CaseNumber, string DefinitionId, string Workflow, int Version, string Status,
    string? OrgUnitId, string? OrgUnit, DateTimeOffset CreatedAt, Countdown? Countdown, string? RiskLevel, bool EscalationRisk,
    IReadOnlyList<CaseParty> Parties, IReadOnlyList<CaseTask> Tasks, bool MayReveal, bool MayTransfer);

/// <summary>A line of the case's plain-language story.</summary>
public sealed record TimelineEntry(long Sequence, DateTimeOffset At, string Kind, string Text, string? Actor);

/// <summary>A party's details unmasked (after a reason, audited).</summary>
public sealed record RevealedParty(string Id, string Role, string Name, string? Phone, string? IdNumber);

/// <summary>Someone a task may be given to (name masked).</summary>
public sealed record Assignee(string Id, string DisplayName, string OrgUnitId);

/// <summary>An org unit a case can be handed to.</summary>
public sealed record OrgUnitOption(string Id, string? ParentId, string Kind, string Name);

/// <summary>
/// What completing a task answered: done, or refused — with field errors (422), or because someone else completed it first
/// (409, with who and when when the server knows).
/// </summary>
public sealed record Completion(bool Done, Refusal? Refusal, string? CompletedBy = null, DateTimeOffset? CompletedAt = null)
{
    /// <summary>Whether someone else completed (or took) the task first.</summary>
    public bool LostRace => Refusal is { Status: 409 };

    /// <summary>The server's message per form field (422).</summary>
    public IReadOnlyDictionary<string, string> FieldErrors =>
        Refusal?.Problems.Where(p => p.IsError && p.Property is not null).GroupBy(p => p.Property!).ToDictionary(g => g.Key, g => g.First().Message)
        ?? new Dictionary<string, string>();
}

/// <summary>The values of a task's form as the page holds them, ready to send.</summary>
public sealed record TaskSubmission(string? Outcome, JsonObject Data);
