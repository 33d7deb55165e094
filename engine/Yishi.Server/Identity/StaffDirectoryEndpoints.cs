using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Privacy;
using Yishi.Server.Data;

namespace Yishi.Server.Identity;

/// <summary>
/// Staff a designer can name as a task's assignee: read-only, within the designer's own org unit and the units below
/// it, with names and phone numbers masked as in every list. The full administration list stays with administrators.
/// </summary>
internal static class StaffDirectoryEndpoints
{
    /// <summary>Most people one search answers: the picker is for finding someone, not for paging through a directory.</summary>
    public const int MostAnswers = 20;

    /// <summary>A member of staff as a picker shows them.</summary>
    public sealed record StaffMember(string Id, string DisplayName, string? Phone, string OrgUnitId, IReadOnlyList<string> Roles);

    public static IEndpointRouteBuilder MapStaffDirectoryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/staff", SearchAsync).RequireAuthorization(Policies.Design).WithTags("Designer").WithName("SearchStaff")
            .WithSummary("Staff in the caller's org units whose name or user name contains the search (or whose id it is), optionally with a role; names and phones masked.");
        return app;
    }

    private static async Task<Ok<List<StaffMember>>> SearchAsync(string? search, string? role, ClaimsPrincipal user, ServerDbContext db, CancellationToken cancellationToken)
    {
        var scope = user.Scope();
        var people =
            from person in db.Users.AsNoTracking()
            join unit in db.OrgUnits.AsNoTracking() on person.OrgUnitId equals unit.Id
            where scope == null || unit.Path.StartsWith(scope)
            select person;
        if (!string.IsNullOrWhiteSpace(search))
        {
            // Matched on the full name, answered masked: finding "王调解" shows "王**", as any list would. An exact id finds the
            // person a task already names, so the picker can show who that is.
            var text = search.Trim();
            people = people.Where(p => p.Id == text || p.DisplayName.Contains(text) || p.UserName!.Contains(text));
        }

        var staffRoles = (role is null ? Roles.Staff : Roles.Staff.Where(r => r == role)).ToList();
        // Residents are never assignees of a designed task, and there are thousands of them: they are left out in the query.
        var rows = await (
            from person in people
            join link in db.UserRoles on person.Id equals link.UserId
            join named in db.Roles on link.RoleId equals named.Id
            where staffRoles.Contains(named.Name!)
            select new { person.Id, person.DisplayName, person.PhoneNumber, person.OrgUnitId, Role = named.Name! })
            .ToListAsync(cancellationToken);
        var found = rows
            .GroupBy(r => r.Id, StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.First();
                return new StaffMember(first.Id, Masking.Name(first.DisplayName), Masking.Phone(first.PhoneNumber), first.OrgUnitId,
                    [.. g.Select(r => r.Role).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
            })
            .OrderBy(m => m.DisplayName, StringComparer.Ordinal).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Take(MostAnswers)
            .ToList();
        return TypedResults.Ok(found);
    }
}
