using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Privacy;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Residents;

/// <summary>The residents registry, for admins: import from CSV and list (names and phones masked).</summary>
internal static class ResidentEndpoints
{
    public const int MaxPageSize = 500;

    /// <summary>A resident as lists show them: the name and phone masked, the birth date reduced to adult or not.</summary>
    public sealed record ResidentRow(string Id, string Name, string? Phone, string OrgUnitId, string? HouseholdId, bool HouseholdRepresentative, bool Representative,
        bool Verified, bool? Adult);

    public static IEndpointRouteBuilder MapResidentEndpoints(this IEndpointRouteBuilder app)
    {
        var residents = app.MapGroup("/api/admin/residents").RequireAuthorization(Policies.Admin).WithTags("Admin");
        // The body is read by hand (text/csv); declaring it with Accepts would make routing answer 415 before authorization answers 401/403.
        residents.MapPost("/import", ImportAsync).WithName("ImportResidents")
            .WithSummary("Imports the registry from CSV (text/csv; columns name, phone, org_unit, household, household_representative, birth_date, representative, verified). "
                + "Any bad row is reported with its line and column and nothing is imported; a known phone updates its resident.")
            .Produces<ImportResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        residents.MapGet("/", ListAsync).WithName("ListResidents")
            .WithSummary("Residents of an org unit and the units below (all without orgUnitId), names and phones masked.")
            .Produces<IReadOnlyList<ResidentRow>>();
        return app;
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, ResidentImport import, CancellationToken cancellationToken)
    {
        if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Problem.Of(400, "bad-request", "Send the registry as text/csv", "Export the sheet as CSV (UTF-8) and send it with Content-Type: text/csv.");
        }

        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var (result, errors) = await import.ImportAsync(await reader.ReadToEndAsync(cancellationToken), cancellationToken);
        return result is not null
            ? TypedResults.Ok(result)
            : TypedResults.Problem($"{errors.Count} problem(s); nothing was imported. Fix them and send the file again.", statusCode: 422, title: "The registry has errors",
                type: "urn:yishi:problem:invalid-registry", extensions: new Dictionary<string, object?> { ["errors"] = errors });
    }

    private static async Task<IResult> ListAsync(string? orgUnitId, int? pageSize, ServerDbContext db, OrgUnits.OrgUnitDirectory directory, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var residentRole = await db.Roles.Where(r => r.Name == Roles.Resident).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var rows = db.Users.AsNoTracking().Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == residentRole));
        if (orgUnitId is not null && await directory.PathOfAsync(orgUnitId, cancellationToken) is { } path)
        {
            var paths = await directory.PathsAsync(cancellationToken);
            var units = paths.Where(p => p.Value.StartsWith(path, StringComparison.Ordinal)).Select(p => p.Key).ToList();
            rows = rows.Where(u => units.Contains(u.OrgUnitId));
        }

        var page = await rows.OrderBy(u => u.OrgUnitId).ThenBy(u => u.Id).Take(Math.Clamp(pageSize ?? 100, 1, MaxPageSize)).ToListAsync(cancellationToken);
        var households = page.Select(u => u.HouseholdId).OfType<string>().ToList();
        var representatives = (await db.Households.AsNoTracking().Where(h => households.Contains(h.Id)).Select(h => h.RepresentativeUserId).ToListAsync(cancellationToken))
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return TypedResults.Ok(page.Select(u => new ResidentRow(u.Id, Masking.Name(u.DisplayName), Masking.Phone(u.PhoneNumber), u.OrgUnitId, u.HouseholdId,
            representatives.Contains(u.Id), u.Representative, u.Verified, u.BirthDate is { } birth ? birth.AddYears(18) <= today : null)).ToList());
    }
}
