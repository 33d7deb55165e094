using System.Security.Claims;
using Yishi.Engine.Execution;

namespace Yishi.Server.Identity;

/// <summary>The engine's view of the signed-in user.</summary>
internal static class ActorExtensions
{
    public static Actor ToActor(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The user has no id claim."),
            [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)]);

    public static string UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public static string OrgUnit(this ClaimsPrincipal user) => user.FindFirstValue(YishiClaims.OrgUnit) ?? "";
}
