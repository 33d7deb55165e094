using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Yishi.Engine.Notifications.Channels;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Notifications;

/// <summary>How the signed-in person wants to be told things: language, channels, email address, daily digest.</summary>
internal static class PreferenceEndpoints
{
    public sealed record NotificationPreferences(string Locale, IReadOnlyList<string> Channels, string? Email, bool DailyDigest);

    public static IEndpointRouteBuilder MapPreferenceEndpoints(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me/notifications").RequireAuthorization(Policies.SignedIn).WithTags("Auth");
        me.MapGet("/", GetAsync).WithName("GetNotificationPreferences")
            .WithSummary("Your language, the channels you get notifications on, your email address and whether you get a daily digest.")
            .Produces<NotificationPreferences>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        me.MapPut("/", PutAsync).WithName("SetNotificationPreferences")
            .WithSummary("Changes them. Channels are inapp, sms and email; the daily digest gathers a day's emails into one (staff).")
            .Produces<NotificationPreferences>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<IResult> GetAsync(ClaimsPrincipal principal, UserManager<YishiUser> users) =>
        await users.GetUserAsync(principal) is { } user ? TypedResults.Ok(Of(user)) : Problem.Of(404, "not-found", "Not found");

    private static async Task<IResult> PutAsync(NotificationPreferences request, ClaimsPrincipal principal, UserManager<YishiUser> users)
    {
        if (await users.GetUserAsync(principal) is not { } user)
        {
            return Problem.Of(404, "not-found", "Not found");
        }

        var unknown = (request.Channels ?? []).Where(c => !ChannelNames.All.Contains(c)).ToList();
        if (request.Locale is not ("zh-CN" or "en") || unknown.Count > 0 || (request.Email is { Length: > 0 } email && !email.Contains('@', StringComparison.Ordinal)))
        {
            return Problem.Of(422, "invalid-preferences", "The preferences do not fit",
                "The locale is zh-CN or en; channels are inapp, sms and email; the email address needs an @.");
        }

        if (request.DailyDigest && !Roles.Staff.Any(principal.IsInRole))
        {
            return Problem.Of(422, "invalid-preferences", "The daily digest is for staff", "Residents get each message as it happens.");
        }

        user.PreferredLocale = request.Locale;
        user.PreferredChannels = string.Join(',', (request.Channels ?? []).Distinct());
        user.Email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        user.DailyDigest = request.DailyDigest;
        await users.UpdateAsync(user);
        return TypedResults.Ok(Of(user));
    }

    private static NotificationPreferences Of(YishiUser user) =>
        new(user.PreferredLocale, user.PreferredChannels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), user.Email, user.DailyDigest);
}
