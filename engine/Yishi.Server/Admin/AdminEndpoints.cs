using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Yishi.Server.ApiKeys;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Engine.Privacy;
using Yishi.Server.Problems;

namespace Yishi.Server.Admin;

/// <summary>Administration: users and their roles, org units, API keys.</summary>
internal static class AdminEndpoints
{
    public sealed record UserRow(string Id, string UserName, string DisplayName, string? Phone, string OrgUnitId, IReadOnlyList<string> Roles, bool Verified, bool LockedOut);

    public sealed record CreateUser(string UserName, string DisplayName, string Password, string OrgUnitId, string[] Roles, string? PhoneNumber);

    public sealed record SetRoles(string[] Roles);

    public sealed record CreateOrgUnit(string Id, string? ParentId, string Kind, string Name, string NameEn);

    public sealed record CreateApiKey(string Name, string OrgUnitId, string[] Permissions);

    public sealed record ApiKeyRow(string Id, string Name, string OrgUnitId, IReadOnlyList<string> Permissions, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

    /// <summary>The key itself is shown once, when it is made; only its hash is kept.</summary>
    public sealed record CreatedApiKey(string Id, string Key, string Name, string OrgUnitId, IReadOnlyList<string> Permissions);

    private static readonly string[] OrgUnitKinds = ["street", "community", "village", "grid"];

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(Policies.Admin);
        admin.MapGet("/users", ListUsersAsync).WithName("ListUsers")
            .WithSummary("Users, with phone numbers and names masked.")
            .Produces<IReadOnlyList<UserRow>>();
        admin.MapPost("/users", CreateUserAsync).WithName("CreateUser")
            .WithSummary("Adds a user with roles in an org unit.")
            .Produces<UserRow>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        admin.MapPut("/users/{id}/roles", SetRolesAsync).WithName("SetUserRoles")
            .WithSummary("Replaces a user's roles; answers the roles they have now.")
            .Produces<IReadOnlyList<string>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        admin.MapGet("/roles", () => TypedResults.Ok(Roles.All)).WithName("ListRoles");
        admin.MapGet("/org-units", async (ServerDbContext db, CancellationToken cancellationToken) =>
            TypedResults.Ok(await db.OrgUnits.AsNoTracking().OrderBy(o => o.Path).ToListAsync(cancellationToken))).WithName("ListOrgUnits");
        admin.MapPost("/org-units", CreateOrgUnitAsync).WithName("CreateOrgUnit")
            .Produces<OrgUnit>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        admin.MapGet("/api-keys", ListApiKeysAsync).WithName("ListApiKeys")
            .Produces<IReadOnlyList<ApiKeyRow>>();
        admin.MapPost("/api-keys", CreateApiKeyAsync).WithName("CreateApiKey")
            .WithSummary("Makes an API key; the answer holds the key, which is never shown again.")
            .Produces<CreatedApiKey>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        admin.MapDelete("/api-keys/{id}", RevokeApiKeyAsync).WithName("RevokeApiKey")
            .WithSummary("Revokes an API key (again is fine): it is refused from then on.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ListUsersAsync(UserManager<YishiUser> users, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var roles = await db.UserRoles.AsNoTracking().Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var byUser = roles.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.Name!).ToList());
        var rows = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(u => new UserRow(u.Id, u.UserName!, Masking.Name(u.DisplayName), Masking.Phone(u.PhoneNumber), u.OrgUnitId,
            byUser.GetValueOrDefault(u.Id, []), u.Verified, u.LockoutEnd > clock.GetUtcNow())).ToList());
    }

    private static async Task<IResult> CreateUserAsync(CreateUser request, UserManager<YishiUser> users, ServerDbContext db, CancellationToken cancellationToken)
    {
        var unknownRoles = (request.Roles ?? []).Except(Roles.All).ToList();
        if (unknownRoles.Count > 0 || !await db.OrgUnits.AnyAsync(o => o.Id == request.OrgUnitId, cancellationToken))
        {
            return Problem.Of(400, "bad-request", unknownRoles.Count > 0 ? $"Unknown roles: {string.Join(", ", unknownRoles)}." : $"There is no org unit '{request.OrgUnitId}'.");
        }

        var user = new YishiUser { UserName = request.UserName, DisplayName = request.DisplayName, OrgUnitId = request.OrgUnitId, PhoneNumber = request.PhoneNumber };
        var created = await users.CreateAsync(user, request.Password);
        if (!created.Succeeded)
        {
            return Problem.Of(400, "user-not-created", "The user could not be created", string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRolesAsync(user, request.Roles ?? []);
        return TypedResults.Created($"/api/admin/users/{user.Id}", new UserRow(user.Id, user.UserName!, Masking.Name(user.DisplayName), Masking.Phone(user.PhoneNumber),
            user.OrgUnitId, request.Roles ?? [], user.Verified, false));
    }

    private static async Task<IResult> SetRolesAsync(string id, SetRoles request, UserManager<YishiUser> users)
    {
        if ((request.Roles ?? []).Except(Roles.All).Any())
        {
            return Problem.Of(400, "bad-request", "Unknown role.");
        }

        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return Problem.Of(404, "not-found", $"There is no user '{id}'.");
        }

        var current = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, current.Except(request.Roles ?? []));
        await users.AddToRolesAsync(user, (request.Roles ?? []).Except(current));
        return TypedResults.Ok(await users.GetRolesAsync(user));
    }

    private static async Task<IResult> CreateOrgUnitAsync(CreateOrgUnit request, ServerDbContext db, OrgUnits.OrgUnitDirectory directory, CancellationToken cancellationToken)
    {
        if (!Engine.Definitions.DefinitionParser.IsValidId(request.Id) || !OrgUnitKinds.Contains(request.Kind) || string.IsNullOrWhiteSpace(request.Name))
        {
            return Problem.Of(400, "bad-request", "An org unit needs an id (letters, digits, '-', '_', '.'), a kind (street, community, village, grid) and a name.");
        }

        var parent = request.ParentId is null ? null : await db.OrgUnits.FindAsync([request.ParentId], cancellationToken);
        if (request.ParentId is not null && parent is null)
        {
            return Problem.Of(400, "bad-request", $"There is no org unit '{request.ParentId}'.");
        }

        if (await db.OrgUnits.AnyAsync(o => o.Id == request.Id, cancellationToken))
        {
            return Problem.Of(409, "org-unit-exists", $"The org unit '{request.Id}' exists.");
        }

        var unit = new OrgUnit { Id = request.Id, ParentId = request.ParentId, Kind = request.Kind, Name = request.Name, NameEn = request.NameEn, Path = $"{parent?.Path ?? "/"}{request.Id}/" };
        db.OrgUnits.Add(unit);
        await db.SaveChangesAsync(cancellationToken);
        directory.Invalidate();
        return TypedResults.Created($"/api/admin/org-units/{unit.Id}", unit);
    }

    private static async Task<IResult> ListApiKeysAsync(ServerDbContext db, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok(keys.Select(k => new ApiKeyRow(k.Id, k.Name, k.OrgUnitId, k.Permissions.Split(','), k.CreatedAt, k.RevokedAt)).ToList());
    }

    private static async Task<IResult> CreateApiKeyAsync(CreateApiKey request, ClaimsPrincipal user, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var permissions = request.Permissions ?? [];
        if (string.IsNullOrWhiteSpace(request.Name) || permissions.Length == 0 || permissions.Except(ApiKeyPermissions.All).Any())
        {
            return Problem.Of(400, "bad-request", $"An API key needs a name and permissions from: {string.Join(", ", ApiKeyPermissions.All)}.");
        }

        if (!await db.OrgUnits.AnyAsync(o => o.Id == request.OrgUnitId, cancellationToken))
        {
            return Problem.Of(400, "bad-request", $"There is no org unit '{request.OrgUnitId}'.");
        }

        var (id, secret, key) = ApiKeySecrets.Create();
        db.ApiKeys.Add(new ApiKey
        {
            Id = id,
            Name = request.Name,
            SecretHash = ApiKeySecrets.Hash(secret),
            OrgUnitId = request.OrgUnitId,
            Permissions = string.Join(",", permissions.Distinct()),
            CreatedBy = user.UserId(),
            CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/admin/api-keys/{id}", new CreatedApiKey(id, key, request.Name, request.OrgUnitId, [.. permissions.Distinct()]));
    }

    private static async Task<IResult> RevokeApiKeyAsync(string id, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FindAsync([id], cancellationToken);
        if (key is null)
        {
            return Problem.Of(404, "not-found", $"There is no API key '{id}'.");
        }

        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
