using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Instances;
using Yishi.Server.OrgUnits;
using Yishi.Server.Timers;

namespace Yishi.Server.Workbench;

/// <summary>
/// The mediator's workbench: the task inbox (mine, my team's, overdue) with working-day countdowns and risk flags, and the
/// case page's header, parties and open tasks with their forms, each in one request.
/// </summary>
internal static class WorkbenchEndpoints
{
    /// <summary>Most tasks one inbox answer considers: a workbench is for today's work, not an archive.</summary>
    public const int MostTasks = 500;

    public const string MineView = "mine";
    public const string TeamView = "team";
    public const string OverdueView = "overdue";

    /// <summary>Risk filters: the case file's levels, its escalation flag, and the deadline's warning and overdue.</summary>
    public static readonly string[] RiskFilters = ["high", "medium", "low", "escalation", "warning", "overdue"];

    public static IEndpointRouteBuilder MapWorkbenchEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workbench").WithTags("Workbench").RequireAuthorization(Policies.Staff);
        group.MapGet("/inbox", InboxAsync).WithName("GetWorkbenchInbox")
            .WithSummary("Open tasks for the caller (view=mine), for their roles in their units held by others or nobody (team), or past due (overdue), "
                         + "with case title, step, masked parties, working days left and risk; filters definitionId, activityId, risk, orgUnitId and search "
                         + "(case title, number or party surname). Accept-Language zh-CN or en.")
            .Produces<InboxAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/cases/{id}", CaseAsync).WithName("GetWorkbenchCase")
            .WithSummary("A case for the workbench: header, countdown, risk, masked parties, and its open tasks with outcomes, forms and what the caller may do.")
            .Produces<WorkbenchCase>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/org-units", OrgUnitsAsync).WithName("ListWorkbenchOrgUnits")
            .WithSummary("Every org unit with its name in the asked language and its parent: where a case can be handed on (转办) to.")
            .Produces<IReadOnlyList<OrgUnitOption>>();
        PartyReveal.Map(app);
        TaskAssignment.Map(app);
        return app;
    }

    /// <summary>The caller's language for texts taken from definitions: English when they ask for it, Chinese otherwise.</summary>
    public static string Locale(HttpRequest request) =>
        request.Headers.AcceptLanguage.ToString().StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : LocalizedTextDefault;

    private const string LocalizedTextDefault = "zh-CN";

    private static async Task<IResult> InboxAsync(string? view, string? definitionId, string? activityId, string? risk, string? orgUnitId, string? search,
        ClaimsPrincipal user, HttpRequest request, WorkflowRuntime runtime, ServerDbContext db, OrgCalendars calendars, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        view ??= MineView;
        if (view is not (MineView or TeamView or OverdueView))
        {
            return Problems.Problem.Of(400, "bad-request", "Unknown view", $"'view' is one of {MineView}, {TeamView}, {OverdueView}.");
        }

        if (risk is not null && !RiskFilters.Contains(risk))
        {
            return Problems.Problem.Of(400, "bad-request", "Unknown risk filter", $"'risk' is one of {string.Join(", ", RiskFilters)}.");
        }

        var actor = user.ToActor();
        var locale = Locale(request);
        var en = locale == "en";
        var now = clock.GetUtcNow();
        var open = await runtime.QueryBookmarksAsync(new BookmarkQuery
        {
            Kind = BookmarkKind.HumanTask, UserId = actor.Id, Roles = actor.Roles, ScopePrefix = actor.Scope, Limit = MostTasks,
        }, cancellationToken);
        var instances = await InstancesAsync(open.Select(b => b.InstanceId), runtime, cancellationToken);
        open = [.. open.Where(b => instances.ContainsKey(b.InstanceId))];
        var facts = await CaseFacts.ReadAsync(instances.Keys, [.. open.Select(b => b.UserId).OfType<string>().Distinct(StringComparer.Ordinal)], db, cancellationToken);

        var rows = new List<(InboxTask Task, IReadOnlyList<string> PartyNames)>();
        foreach (var task in open)
        {
            var (instance, graph) = instances[task.InstanceId];
            var unit = OrgUnitDirectory.IdOf(instance.Scope);
            var (riskLevel, escalation) = facts.Risks.GetValueOrDefault(instance.Id);
            var parties = facts.Parties.GetValueOrDefault(instance.Id) ?? [];
            rows.Add((new InboxTask(task.Id, instance.Id, CaseFacts.TitleOf(instance, graph, locale), instance.CorrelationKey, instance.DefinitionId,
                graph?.Definition.Name.Get(locale) ?? instance.DefinitionId, task.ActivityId, StepTitle(task, graph, locale), task.Role, task.UserId,
                facts.MaskedName(task.UserId), task.UserId == actor.Id, unit, facts.UnitName(unit, en), [.. parties.Select(p => p.Masked)], task.CreatedAt,
                Countdown.Of(task.CreatedAt, task.DueAt, task.Scope, calendars, now), riskLevel, escalation,
                task.Payload?["priority"]?.GetValue<string>() ?? "normal"), [.. parties.Select(p => p.Name)]));
        }

        var mine = rows.Where(r => r.Task.Mine).ToList();
        var team = rows.Where(r => !r.Task.Mine).ToList();
        var overdue = rows.Where(r => r.Task.Countdown?.Overdue == true).ToList();
        var tab = view switch { MineView => mine, TeamView => team, _ => overdue };
        var text = search?.Trim();
        var shown = tab
            .Where(r => definitionId is null || r.Task.DefinitionId == definitionId)
            .Where(r => activityId is null || r.Task.ActivityId == activityId)
            .Where(r => orgUnitId is null || r.Task.OrgUnitId == orgUnitId)
            .Where(r => risk is null || HasRisk(r.Task, risk))
            .Where(r => string.IsNullOrEmpty(text) || Matches(r.Task, r.PartyNames, text))
            .Select(r => r.Task)
            // Overdue first, then the nearest deadline; tasks without one last, oldest first.
            .OrderBy(t => t.Countdown?.DueAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.CreatedAt).ThenBy(t => t.TaskId, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new InboxAnswer(shown, mine.Count, team.Count, overdue.Count,
            Options(tab.Select(r => (r.Task.DefinitionId, r.Task.Workflow))),
            Options(tab.Where(r => definitionId is null || r.Task.DefinitionId == definitionId).Select(r => (r.Task.ActivityId, r.Task.Step))),
            Options(tab.Where(r => r.Task.OrgUnitId is not null).Select(r => (r.Task.OrgUnitId!, r.Task.OrgUnit ?? r.Task.OrgUnitId!)))));
    }

    private static async Task<IResult> OrgUnitsAsync(HttpRequest request, ServerDbContext db, CancellationToken cancellationToken)
    {
        var en = Locale(request) == "en";
        var units = await db.OrgUnits.AsNoTracking().Select(u => new { u.Id, u.ParentId, u.Kind, u.Name, u.NameEn, u.Path }).ToListAsync(cancellationToken);
        return TypedResults.Ok(units.OrderBy(u => u.Path, StringComparer.Ordinal).Select(u => new OrgUnitOption(u.Id, u.ParentId, u.Kind, en ? u.NameEn : u.Name)).ToList());
    }

    private static List<FilterOption> Options(IEnumerable<(string Value, string Label)> pairs) =>
        [.. pairs.DistinctBy(p => p.Value, StringComparer.Ordinal).OrderBy(p => p.Label, StringComparer.Ordinal).Select(p => new FilterOption(p.Value, p.Label))];

    private static bool HasRisk(InboxTask task, string risk) => risk switch
    {
        "escalation" => task.EscalationRisk,
        "warning" => task.Countdown?.Warning == true,
        "overdue" => task.Countdown?.Overdue == true,
        _ => task.RiskLevel == risk,
    };

    /// <summary>The case's title or number contain the text, or a party's name starts with it (a surname): matched in full, answered masked.</summary>
    private static bool Matches(InboxTask task, IReadOnlyList<string> partyNames, string text) =>
        task.CaseTitle.Contains(text, StringComparison.OrdinalIgnoreCase)
        || (task.CaseNumber?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
        || partyNames.Any(n => n.StartsWith(text, StringComparison.Ordinal));

    private static async Task<IResult> CaseAsync(string id, ClaimsPrincipal user, HttpRequest request, WorkflowRuntime runtime, ServerDbContext db,
        OrgCalendars calendars, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !await user.MaySeeAsync(instance, db, cancellationToken))
        {
            return InstanceEndpoints.NotFound(id);
        }

        var actor = user.ToActor();
        var locale = Locale(request);
        var en = locale == "en";
        var now = clock.GetUtcNow();
        var graph = await runtime.Definitions.GetGraphAsync(instance.DefinitionId, instance.DefinitionVersion, cancellationToken);
        var open = await runtime.QueryBookmarksAsync(new BookmarkQuery { Kind = BookmarkKind.HumanTask, InstanceId = id, Limit = 100 }, cancellationToken);
        var facts = await CaseFacts.ReadAsync([id], [.. open.Select(b => b.UserId).OfType<string>().Distinct(StringComparer.Ordinal)], db, cancellationToken);
        var works = actor.Reaches(instance.Scope) && !instance.IsFinished;
        var supervises = works && (user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Admin));
        var tasks = open.Select(task =>
        {
            var activity = graph?.Definition.Activities.FirstOrDefault(a => a.Id == task.ActivityId);
            var form = activity?.Property("form") is { } fields ? FormField.ReadList(fields, (_, _) => { }) : [];
            var outcomes = task.Payload?["outcomes"] is JsonArray list ? list.Select(o => o?.GetValue<string>()).OfType<string>().ToList() : [];
            var forRole = task.Role is null || actor.Roles.Contains(task.Role);
            var mayAct = task.UserId is { } holder ? holder == actor.Id : forRole && actor.Reaches(task.Scope);
            return new CaseTask(task.Id, task.ActivityId, StepTitle(task, graph, locale), CaseFacts.Localized(activity?.Property("description"), locale),
                task.Role, task.UserId, facts.MaskedName(task.UserId), task.CreatedAt, Countdown.Of(task.CreatedAt, task.DueAt, task.Scope, calendars, now),
                outcomes, [.. form.Select(f => FieldOf(f, locale))], mayAct, task.UserId is null && forRole && actor.Reaches(task.Scope), supervises);
        }).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
        var unit = OrgUnitDirectory.IdOf(instance.Scope);
        var (risk, escalation) = facts.Risks.GetValueOrDefault(id);
        var parties = user.SeesByPartyOnly() ? [] : await CasePartyEndpoints.ListAsync(id, db, cancellationToken);
        return TypedResults.Ok(new WorkbenchCase(instance.Id, CaseFacts.TitleOf(instance, graph, locale), instance.CorrelationKey, instance.DefinitionId,
            graph?.Definition.Name.Get(locale) ?? instance.DefinitionId, instance.DefinitionVersion, instance.Status.ToString(), unit, facts.UnitName(unit, en),
            instance.CreatedAt, tasks.Select(t => t.Countdown).OfType<Countdown>().OrderBy(c => c.DueAt).FirstOrDefault(), risk, escalation, parties, tasks,
            PartyReveal.MayReveal(user, instance), works));
    }

    private static TaskFormField FieldOf(FormField field, string locale) =>
        new(field.Name, field.Type.ToString().ToLowerInvariant(), field.Label.Get(locale), field.Required, field.Options, field.MaxLength, field.Min, field.Max);

    private static string StepTitle(Bookmark task, WorkflowGraph? graph, string locale) =>
        CaseFacts.Localized(task.Payload?["title"], locale)
        ?? graph?.Definition.Activities.FirstOrDefault(a => a.Id == task.ActivityId)?.DisplayName?.Get(locale)
        ?? task.ActivityId;

    /// <summary>
    /// The cases of a page's tasks with their definitions, each read once. The store answers instances one by one; a page
    /// holds at most <see cref="MostTasks"/> tasks and usually far fewer cases.
    /// </summary>
    private static async Task<Dictionary<string, (WorkflowInstance Instance, WorkflowGraph? Graph)>> InstancesAsync(IEnumerable<string> ids, WorkflowRuntime runtime,
        CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (WorkflowInstance, WorkflowGraph?)>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (await runtime.FindInstanceAsync(id, cancellationToken) is { } instance)
            {
                found[id] = (instance, await runtime.Definitions.GetGraphAsync(instance.DefinitionId, instance.DefinitionVersion, cancellationToken));
            }
        }

        return found;
    }
}
