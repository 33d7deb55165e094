using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Yishi.Server.Data;
using Yishi.Server.Hosting;
using Yishi.Server.Problems;

namespace Yishi.Server.Identity;

/// <summary>Sign-in and the signed-in user.</summary>
internal static class AuthEndpoints
{
    public sealed record LoginRequest(string UserName, string Password);

    public sealed record Me(string Id, string UserName, string DisplayName, string OrgUnitId, IReadOnlyList<string> Roles, string PreferredLocale);

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");
        auth.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(ServerRegistration.LoginRateLimit).WithName("Login")
            .WithSummary("Signs in. Answers {tokenType, accessToken, expiresIn, refreshToken}; with ?useCookies=true sets a cookie instead (and answers no body).")
            .Produces<AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status423Locked)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization(Policies.SignedIn).WithName("Logout")
            .WithSummary("Signs out of the cookie session; a bearer token simply expires.");
        app.MapGet("/api/me", MeAsync).RequireAuthorization(Policies.SignedIn).WithTags("Auth").WithName("GetMe")
            .WithSummary("The signed-in person: name, org unit, roles and preferred locale.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> LoginAsync(LoginRequest request, bool? useCookies, SignInManager<YishiUser> signIn)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return Problem.Of(400, "bad-request", "User name and password are required.");
        }

        // The bearer handler writes the token response itself when the sign-in succeeds.
        signIn.AuthenticationScheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.UserName, request.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return Problem.Of(423, "locked-out", "Too many failed sign-ins", "The account is locked for a while after repeated failures.");
        }

        return result.Succeeded ? TypedResults.Empty : Problem.Of(401, "sign-in-failed", "Wrong user name or password");
    }

    private static async Task<NoContent> LogoutAsync(SignInManager<YishiUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<Me>, NotFound>> MeAsync(ClaimsPrincipal principal, UserManager<YishiUser> users)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new Me(user.Id, user.UserName!, user.DisplayName, user.OrgUnitId, [.. await users.GetRolesAsync(user)], user.PreferredLocale));
    }
}
