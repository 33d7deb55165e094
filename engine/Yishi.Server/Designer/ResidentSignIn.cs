using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Yishi.Designer.Api;
using Yishi.Server.Data;
using Yishi.Server.Identity;

namespace Yishi.Server.Designer;

/// <summary>
/// The portal's sign-in, done on the page's own form post: the response has not started, so the identity cookie is
/// set on it. The same rules as the API's sign-in endpoints: lockout after repeated wrong passwords, codes from
/// <see cref="OneTimeCodes"/> with their per-phone limits, and ten tries a minute per address
/// (<see cref="PortalSignInLimiter"/>).
/// </summary>
internal sealed class ResidentSignIn(SignInManager<YishiUser> signIn, OneTimeCodes codes, OneTimeCodeSms sms, PortalSignInLimiter limiter,
    IHttpContextAccessor http, ILogger<OneTimeCodes> logger) : IResidentSignIn
{
    public async Task<ResidentSignInResult> PasswordAsync(string phone, string password, CancellationToken cancellationToken)
    {
        if (OneTimeCodeEndpoints.Normalize(phone) is not { } normalized || string.IsNullOrEmpty(password))
        {
            return new(ResidentSignInOutcome.Invalid);
        }

        if (Limited() is { } limited)
        {
            return limited;
        }

        if (await codes.FindUserAsync(normalized, cancellationToken) is not { } user)
        {
            return new(ResidentSignInOutcome.WrongPassword);
        }

        // Checked without signing in first: a staff account's password is not proof that a resident is at the phone.
        var checkedPassword = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (checkedPassword.IsLockedOut)
        {
            return new(ResidentSignInOutcome.LockedOut);
        }

        if (!checkedPassword.Succeeded)
        {
            return new(ResidentSignInOutcome.WrongPassword);
        }

        return await SignInResidentAsync(user, "pwd");
    }

    public async Task<ResidentSignInResult> SendCodeAsync(string phone, string locale, CancellationToken cancellationToken)
    {
        if (Limited() is { } limited)
        {
            return limited;
        }

        var sent = await OneTimeCodeEndpoints.SendCodeAsync(new OneTimeCodeEndpoints.CodeRequest(phone, OneTimeCodes.SignIn, locale), codes, sms, logger, cancellationToken);
        return sent.ProblemName switch
        {
            null => new(ResidentSignInOutcome.Done),
            "bad-request" => new(ResidentSignInOutcome.Invalid),
            "sms-unavailable" => new(ResidentSignInOutcome.SmsUnavailable),
            _ => new(ResidentSignInOutcome.TooManyTries, sent.RetryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null),
        };
    }

    public async Task<ResidentSignInResult> CodeAsync(string phone, string code, CancellationToken cancellationToken)
    {
        if (OneTimeCodeEndpoints.Normalize(phone) is not { } normalized || !OneTimeCodeEndpoints.IsCodeShaped(code))
        {
            return new(ResidentSignInOutcome.Invalid);
        }

        if (Limited() is { } limited)
        {
            return limited;
        }

        if (await codes.FindValidAsync(normalized, OneTimeCodes.SignIn, code, cancellationToken) is not var (user, row))
        {
            return new(ResidentSignInOutcome.CodeInvalid);
        }

        // As the API: only after a right code, so nobody learns from the answer that the account exists.
        if (await signIn.UserManager.IsLockedOutAsync(user))
        {
            return new(ResidentSignInOutcome.LockedOut);
        }

        if (!await signIn.UserManager.IsInRoleAsync(user, Roles.Resident))
        {
            return new(ResidentSignInOutcome.NotResident);
        }

        if (!await codes.ConsumeAsync(row, cancellationToken))
        {
            return new(ResidentSignInOutcome.CodeInvalid);
        }

        var result = await SignInResidentAsync(user, "sms");
        if (result.Succeeded)
        {
            OneTimeCodeEndpoints.LogSignedIn(logger, user.Id);
        }

        return result;
    }

    public Task SignOutAsync(CancellationToken cancellationToken) => signIn.SignOutAsync();

    private async Task<ResidentSignInResult> SignInResidentAsync(YishiUser user, string method)
    {
        if (!await signIn.UserManager.IsInRoleAsync(user, Roles.Resident))
        {
            return new(ResidentSignInOutcome.NotResident);
        }

        signIn.AuthenticationScheme = IdentityConstants.ApplicationScheme;
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: method);
        return new(ResidentSignInOutcome.Done);
    }

    private ResidentSignInResult? Limited()
    {
        var address = http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var lease = limiter.Limiter.AttemptAcquire(address);
        return lease.IsAcquired ? null : new(ResidentSignInOutcome.TooManyTries, 60);
    }
}

/// <summary>
/// Ten sign-in tries a minute per address on the portal's sign-in page, as the API's <c>login</c> rate-limit policy
/// allows. A policy of the rate-limiting middleware applies to a whole endpoint, and the portal's pages share one
/// (Razor components), so the page's form posts count here instead; reading the page costs nothing.
/// </summary>
internal sealed class PortalSignInLimiter : IDisposable
{
    public PartitionedRateLimiter<string> Limiter { get; } = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    public void Dispose() => Limiter.Dispose();
}
