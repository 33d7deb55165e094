using System.Security.Claims;
using Yishi.Engine.Execution;

namespace Yishi.Server.Identity;

/// <summary>The engine's view of the signed-in user.</summary>
internal static class ActorExtensions
{
    /// <summary>A scope no case has: a user whose org unit is unknown reaches nothing rather than everything.</summary>
    private const string Nowhere = "\0";

    public static Actor ToActor(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The user has no id claim."),
            [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)], user.Scope());

    public static string UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public static string OrgUnit(this ClaimsPrincipal user) => user.FindFirstValue(YishiClaims.OrgUnit) ?? "";

    /// <summary>Where the user acts, as the engine's scope prefix: admins everywhere (null), anyone else in their unit's subtree.</summary>
    public static string? Scope(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) ? null : user.FindFirstValue(YishiClaims.OrgPath) is { Length: > 0 } path ? path : Nowhere;
}
