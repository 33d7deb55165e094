using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Definitions;
using Yishi.Engine.EntityFrameworkCore;
using Yishi.Engine.Runtime;
using Yishi.Server.Ballots;
using Yishi.Server.Data;
using Yishi.Server.Timers;

namespace Yishi.Server.Dashboard;

/// <summary>What the dashboard asks for: the scope prefix (null: everywhere), the workflow (null: all) and the period.</summary>
/// <param name="ScopePrefix">The path the figures cover.</param>
/// <param name="OrgUnitId">The unit shown as chosen.</param>
/// <param name="DefinitionId">The workflow, or null for all.</param>
/// <param name="Days">The period.</param>
/// <param name="ViewerScope">The caller's own scope, which bounds the org units offered to choose from (null: everywhere).</param>
/// <param name="Workflows">The workflows offered to choose from.</param>
internal sealed record DashboardQuery(string? ScopePrefix, string? OrgUnitId, string? DefinitionId, int Days, string? ViewerScope, IReadOnlyList<string> Workflows);

/// <summary>
/// Computes the dashboard's figures in the database: every figure is one grouped query (counts come back, never cases),
/// so the cost grows with the number of groups — workflows, steps, units, local days — not with the number of cases.
/// Seven queries for the figures — four on the engine's tables, three on the server's (org units are a small table) —
/// plus the workflow names, which the definition catalog answers per workflow.
/// </summary>
internal sealed class DashboardFigures(YishiDatabase database, ServerDbContext db, WorkflowRuntime runtime, OrgCalendars calendars, TimeProvider clock)
{
    private const long DayMs = 86_400_000;

    // Instance statuses as the engine stores them (InstanceStatus.ToString()).
    private static readonly string[] OpenStatuses = ["Running", "Waiting", "Faulted"];

    public async Task<DashboardView> ComputeAsync(DashboardQuery query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = now.AddDays(-query.Days);
        var nowMs = now.ToUnixTimeMilliseconds();
        var sinceMs = since.ToUnixTimeMilliseconds();
        var prefix = query.ScopePrefix;
        var length = prefix?.Length ?? 0;
        var definitionId = query.DefinitionId;

        await using var engine = database.CreateContext();
        var instances = engine.Instances.AsNoTracking();
        var bookmarks = engine.Bookmarks.AsNoTracking().Where(b => b.ConsumedAt == null);
        if (prefix is not null)
        {
            // Not StartsWith: EF Core makes it LIKE, which ignores case on SQLite; scopes compare exactly, as the store does.
            instances = instances.Where(i => i.Scope != null && i.Scope.Substring(0, length) == prefix);
            bookmarks = bookmarks.Where(b => b.Scope != null && b.Scope.Substring(0, length) == prefix);
        }

        if (definitionId is not null)
        {
            instances = instances.Where(i => i.DefinitionId == definitionId);
            bookmarks = bookmarks.Where(b => b.DefinitionId == definitionId);
        }

        var open = await instances.Where(i => OpenStatuses.Contains(i.Status))
            .GroupBy(i => new { i.DefinitionId, i.Status })
            .Select(g => new { g.Key.DefinitionId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);

        // From the open cases (the status index) to their open bookmarks (the instance index): the bookmark table keeps every
        // step ever taken, so it is never scanned; and a bookmark left open by a case that has ended is no step anyone waits at.
        var steps = await instances.Where(i => OpenStatuses.Contains(i.Status))
            .Join(engine.Bookmarks.AsNoTracking().Where(b => b.ConsumedAt == null), i => i.Id, b => b.InstanceId, (i, b) => b)
            .GroupBy(b => new { b.DefinitionId, b.ActivityId, b.Kind })
            .Select(g => new { g.Key.DefinitionId, g.Key.ActivityId, g.Key.Kind, Cases = g.Select(b => b.InstanceId).Distinct().Count() })
            .ToListAsync(cancellationToken);

        var overdue = await bookmarks.Where(b => b.Kind == "HumanTask" && b.DueAt != null && b.DueAt < nowMs)
            .GroupBy(b => b.DefinitionId)
            .Select(g => new { DefinitionId = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        // Working days are counted per local day, so the database groups completions by (unit, start day, end day) and the
        // calendar counts each pair once. Days are local by the calendar's offset now: exact for China, which keeps no
        // summer time; elsewhere a case that starts or ends within an hour of midnight around a clock change may shift a day.
        var offsetMs = (long)calendars.Everyone.Zone.GetUtcOffset(now).TotalMilliseconds;
        // ix_instances_status_finished keeps this to the period's completions however many cases finished before it.
        var completed = await instances.Where(i => i.Status == "Completed" && i.FinishedAt != null && i.FinishedAt >= sinceMs)
            .GroupBy(i => new { i.DefinitionId, i.Scope, Started = (i.CreatedAt + offsetMs) / DayMs, Finished = (i.FinishedAt!.Value + offsetMs) / DayMs })
            .Select(g => new { g.Key.DefinitionId, g.Key.Scope, g.Key.Started, g.Key.Finished, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var transfers = await TransfersSince(since, definitionId, prefix)
            .GroupBy(t => t.ToOrgUnitId)
            .Select(g => new { OrgUnitId = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var ballots = await BallotsSince(since, definitionId, prefix)
            .Select(b => new { Ballot = b, Voted = db.BallotTurnout.Count(t => t.BallotId == b.Id && t.Channel != null) })
            .ToListAsync(cancellationToken);

        var unitRows = await db.OrgUnits.AsNoTracking().Select(u => new { u.Id, u.Path, u.Name, u.NameEn }).ToListAsync(cancellationToken);
        var units = unitRows.ToDictionary(u => u.Id, u => new DashboardLabel(u.Name, u.NameEn), StringComparer.Ordinal);
        var unitChoices = unitRows.Where(u => query.ViewerScope is null || u.Path.StartsWith(query.ViewerScope, StringComparison.Ordinal))
            .OrderBy(u => u.Path, StringComparer.Ordinal).Select(u => new DashboardChoice(u.Id, units[u.Id])).ToList();

        var definitions = open.Select(o => o.DefinitionId).Concat(steps.Select(s => s.DefinitionId)).Concat(overdue.Select(o => o.DefinitionId))
            .Concat(completed.Select(c => c.DefinitionId)).Concat(query.Workflows).Distinct(StringComparer.Ordinal);
        var names = await NamesAsync(definitions, cancellationToken);
        DashboardLabel Workflow(string id) => names.TryGetValue(id, out var found) ? found.Name : new DashboardLabel(id, id);

        var byWorkflow = open.GroupBy(o => o.DefinitionId, StringComparer.Ordinal)
            .Select(g => new WorkflowOpenCases(g.Key, Workflow(g.Key), g.Sum(o => o.Count), g.Where(o => o.Status == "Waiting").Sum(o => o.Count),
                g.Where(o => o.Status == "Running").Sum(o => o.Count), g.Where(o => o.Status == "Faulted").Sum(o => o.Count)))
            .OrderByDescending(w => w.Open).ThenBy(w => w.DefinitionId, StringComparer.Ordinal).ToList();

        var bySteps = steps
            .Select(s => new StepOpenCases(s.DefinitionId, s.ActivityId, StepName(names, s.DefinitionId, s.ActivityId), s.Kind, s.Cases))
            .OrderBy(s => s.DefinitionId, StringComparer.Ordinal).ThenByDescending(s => s.Cases).ThenBy(s => s.ActivityId, StringComparer.Ordinal).ToList();

        var overdueView = new OverdueTasks(overdue.Sum(o => o.Count),
            [.. overdue.Select(o => new WorkflowCount(o.DefinitionId, Workflow(o.DefinitionId), o.Count)).OrderByDescending(o => o.Count).ThenBy(o => o.DefinitionId, StringComparer.Ordinal)]);

        var handled = completed.Select(c => (c.DefinitionId, c.Count, Days: (long)calendars.For(c.Scope).CountWorkingDays(LocalDay(c.Started), LocalDay(c.Finished)) * c.Count)).ToList();
        var handling = new HandlingTime(handled.Sum(h => h.Count), Average(handled.Sum(h => h.Days), handled.Sum(h => h.Count)),
            [.. handled.GroupBy(h => h.DefinitionId, StringComparer.Ordinal)
                .Select(g => new WorkflowHandlingTime(g.Key, Workflow(g.Key), g.Sum(h => h.Count), Average(g.Sum(h => h.Days), g.Sum(h => h.Count)) ?? 0))
                .OrderBy(h => h.DefinitionId, StringComparer.Ordinal)]);

        var transferView = new TransferFigures(transfers.Sum(t => t.Count),
            [.. transfers.Select(t => new UnitCount(t.OrgUnitId, units.TryGetValue(t.OrgUnitId, out var unit) ? unit : new DashboardLabel(t.OrgUnitId, t.OrgUnitId), t.Count))
                .OrderByDescending(t => t.Count).ThenBy(t => t.OrgUnitId, StringComparer.Ordinal)]);

        var ballotView = ballots
            .Select(b => new BallotTurnout(b.Ballot.Id, b.Ballot.InstanceId, Label(b.Ballot.Title), BallotViews.Status(b.Ballot, now), b.Ballot.Electorate, b.Voted,
                b.Ballot.Electorate == 0 ? 0 : Math.Round(100.0 * b.Voted / b.Ballot.Electorate, 1, MidpointRounding.AwayFromZero), b.Ballot.ClosesAt))
            .OrderByDescending(b => b.ClosesAt).ThenBy(b => b.BallotId, StringComparer.Ordinal).ToList();

        return new DashboardView(query.OrgUnitId, definitionId, query.Days, since, now, byWorkflow.Sum(w => w.Open), byWorkflow, bySteps, overdueView, handling,
            transferView, ballotView, unitChoices,
            [.. query.Workflows.Where(names.ContainsKey).Select(id => new DashboardChoice(id, names[id].Name)).OrderBy(c => c.Id, StringComparer.Ordinal)]);
    }

    private static double? Average(long days, int count) => count == 0 ? null : Math.Round((double)days / count, 1, MidpointRounding.AwayFromZero);

    private static DateOnly LocalDay(long dayNumber) => DateOnly.FromDayNumber(UnixEpochDay + (int)dayNumber);

    private static readonly int UnixEpochDay = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>
    /// Transfers made since <paramref name="since"/>. SQLite keeps a DateTimeOffset as text, and EF Core refuses to compare
    /// it there; the text is written in one sortable form (<c>yyyy-MM-dd HH:mm:ss.FFFFFFFzzz</c>), and a transfer's time is
    /// always UTC, so comparing it with a UTC parameter (bound in the same form) orders by time. PostgreSQL compares
    /// timestamps. The workflow filter looks the case up in the engine's table, which EF cannot join from this context.
    /// </summary>
    private IQueryable<Transfers.CaseTransfer> TransfersSince(DateTimeOffset since, string? definitionId, string? prefix)
    {
        var sql = """SELECT * FROM yishi_case_transfers AS t WHERE t."At" >= {0}""";
        if (definitionId is not null)
        {
            sql += """ AND EXISTS (SELECT 1 FROM yishi_instances AS i WHERE i.id = t."InstanceId" AND i.definition_id = {1})""";
        }

        var transfers = db.CaseTransfers.FromSqlRaw(sql, definitionId is null ? [since.ToUniversalTime()] : [since.ToUniversalTime(), definitionId]).AsNoTracking();
        if (prefix is not null)
        {
            var length = prefix.Length;
            transfers = transfers.Where(t => t.FromPath.Substring(0, length) == prefix || t.ToPath.Substring(0, length) == prefix);
        }

        return transfers;
    }

    /// <summary>
    /// Ballots under way (given notice or open: the closer may not have caught up with the clock yet) or closed since
    /// <paramref name="since"/>; the time comparison as in <see cref="TransfersSince"/> (closing times are UTC).
    /// </summary>
    private IQueryable<BallotRecord> BallotsSince(DateTimeOffset since, string? definitionId, string? prefix)
    {
        var ballots = db.Ballots.FromSqlRaw("""SELECT * FROM yishi_ballots AS b WHERE b."Status" IN ({0}, {1}) OR (b."Status" = {2} AND b."ClosedAt" >= {3})""",
            BallotStates.Notice, BallotStates.Open, BallotStates.Closed, since.ToUniversalTime()).AsNoTracking();
        if (prefix is not null)
        {
            var length = prefix.Length;
            ballots = ballots.Where(b => b.OrgPath.Substring(0, length) == prefix);
        }

        return definitionId is null ? ballots : ballots.Where(b => b.DefinitionId == definitionId);
    }

    private sealed record WorkflowNames(DashboardLabel Name, IReadOnlyDictionary<string, DashboardLabel> Steps);

    /// <summary>Workflow and step names from each workflow's newest published version (steps keep their ids across versions).</summary>
    private async Task<Dictionary<string, WorkflowNames>> NamesAsync(IEnumerable<string> definitionIds, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, WorkflowNames>(StringComparer.Ordinal);
        foreach (var id in definitionIds)
        {
            if (await runtime.Definitions.GetLatestPublishedGraphAsync(id, cancellationToken) is { } graph)
            {
                var definition = graph.Definition;
                names[id] = new WorkflowNames(Label(definition.Name, id), definition.Activities.ToDictionary(a => a.Id, StepLabel, StringComparer.Ordinal));
            }
        }

        return names;
    }

    private static DashboardLabel StepName(Dictionary<string, WorkflowNames> names, string definitionId, string activityId) =>
        names.TryGetValue(definitionId, out var workflow) && workflow.Steps.TryGetValue(activityId, out var step) ? step : new DashboardLabel(activityId, activityId);

    // A task's title is what staff see in their inbox, so it names the step; other steps by their canvas label (a ballot's
    // title is a template for the matter voted on, not the step's name).
    private static DashboardLabel StepLabel(ActivityDefinition activity) =>
        activity.Type == "HumanTask" && activity.Property("title") is { } title ? Label(title, activity.Id) : Label(activity.DisplayName, activity.Id);

    private static DashboardLabel Label(LocalizedText? text, string fallback) =>
        text is null ? new DashboardLabel(fallback, fallback) : new DashboardLabel(text.Get("zh-CN"), text.Get("en"));

    private static DashboardLabel Label(JsonElement text, string fallback) => text.ValueKind switch
    {
        JsonValueKind.String => new DashboardLabel(text.GetString() ?? fallback, text.GetString() ?? fallback),
        JsonValueKind.Object => new DashboardLabel(Part(text, "zh-CN") ?? Part(text, "en") ?? fallback, Part(text, "en") ?? Part(text, "zh-CN") ?? fallback),
        _ => new DashboardLabel(fallback, fallback),
    };

    /// <summary>A ballot's title as stored: a JSON string, or text per language.</summary>
    private static DashboardLabel Label(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Label(document.RootElement, "");
    }

    private static string? Part(JsonElement text, string locale) => text.TryGetProperty(locale, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
