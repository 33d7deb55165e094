using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.EntityFrameworkCore;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.OrgUnits;
using Yishi.Server.Problems;
using Yishi.Server.Timers;

namespace Yishi.Server.Dashboard;

/// <summary>The figures supervisors and staff follow their units' work by (GET /api/dashboard).</summary>
internal static class DashboardEndpoints
{
    /// <summary>The periods the dashboard offers: a month, a quarter, a year.</summary>
    public static readonly int[] Periods = [30, 90, 365];

    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboard", GetAsync).WithTags("Dashboard").RequireAuthorization(Policies.Staff).WithName("GetDashboard")
            .WithSummary("Open cases by workflow and step, overdue tasks, average handling time in working days, transfers and ballot turnout, for the caller's "
                         + "org units (or orgUnitId within them), one workflow (definitionId) or all, over the last `days` (30, 90 or 365; 30 unless given).")
            .Produces<DashboardView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<IResult> GetAsync(string? orgUnitId, string? definitionId, int? days, ClaimsPrincipal user, OrgUnitDirectory directory, YishiDatabase database,
        ServerDbContext db, WorkflowRuntime runtime, OrgCalendars calendars, OrgScope orgScope, TimeProvider clock, CancellationToken cancellationToken)
    {
        var period = days ?? Periods[0];
        if (!Periods.Contains(period))
        {
            return Problem.Of(400, "bad-request", "Unknown period", $"days is one of {string.Join(", ", Periods)}, not {period}.");
        }

        var scope = user.Scope();
        var shown = user.IsInRole(Roles.Admin) ? null : user.OrgUnit();
        if (!string.IsNullOrEmpty(orgUnitId))
        {
            if (await directory.PathOfAsync(orgUnitId, cancellationToken) is not { } path)
            {
                return Problem.Of(400, "bad-request", "Unknown org unit", $"There is no org unit '{orgUnitId}'.");
            }

            // Only within one's own units: the units above one's own hold other communities' cases.
            if (scope is not null && !path.StartsWith(scope, StringComparison.Ordinal))
            {
                return Problem.Of(403, "outside-your-org-unit", "Forbidden", $"You see the figures of your own org unit and the units below it, not of '{orgUnitId}'.");
            }

            scope = path;
            shown = orgUnitId;
        }

        // The workflows offered: published ones the caller may run (a definition owned by another community is not theirs).
        await using var engine = database.CreateContext();
        var published = await engine.Definitions.AsNoTracking().Where(d => d.Status == "Published").Select(d => d.DefinitionId).Distinct().ToListAsync(cancellationToken);
        var workflows = new List<string>();
        foreach (var id in published)
        {
            if (await orgScope.CanSeeDefinitionAsync(user, id, cancellationToken))
            {
                workflows.Add(id);
            }
        }

        var figures = new DashboardFigures(database, db, runtime, calendars, clock);
        var query = new DashboardQuery(scope, shown, string.IsNullOrEmpty(definitionId) ? null : definitionId, period, user.Scope(), workflows);
        return TypedResults.Ok(await figures.ComputeAsync(query, cancellationToken));
    }
}
