using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Yishi.Engine.Notifications.Channels;
using Yishi.Engine.Privacy;
using Yishi.Server.Data;
using Yishi.Server.Hosting;
using Yishi.Server.Problems;

namespace Yishi.Server.Identity;

/// <summary>
/// Signing in and resetting a password with a code sent by SMS, for residents who have a phone but no password to
/// hand. Every answer about a phone is the same whether or not it has an account.
/// </summary>
internal static partial class OneTimeCodeEndpoints
{
    public sealed record CodeRequest(string Phone, string Purpose, string? Locale = null);

    public sealed record CodeSent(int ExpiresInSeconds);

    public sealed record CodeSignInRequest(string Phone, string Code);

    public sealed record PasswordResetRequest(string Phone, string Code, string NewPassword);

    public static IEndpointRouteBuilder MapOneTimeCodeEndpoints(this IEndpointRouteBuilder app)
    {
        // The login limit (per address) on all three: asking for codes costs SMS, and trying them is guessing.
        var auth = app.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous().RequireRateLimiting(ServerRegistration.LoginRateLimit);
        auth.MapPost("/codes", RequestCodeAsync).WithName("RequestCode")
            .WithSummary("Sends a one-time code by SMS to sign in (purpose signin) or reset the password (reset). Answers 202 whether or not the phone has an account; one code a minute and five an hour per phone.")
            .Produces<CodeSent>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        auth.MapPost("/login/code", SignInWithCodeAsync).WithName("LoginWithCode")
            .WithSummary("Signs in with a code sent by SMS. Answers like /login: a token, or with ?useCookies=true a cookie. A code works once, for five tries.")
            .Produces<AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status423Locked)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/password/reset", ResetPasswordAsync).WithName("ResetPasswordWithCode")
            .WithSummary("Sets a new password with a code sent by SMS (purpose reset). A password the rules refuse answers 422 and leaves the code usable.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> RequestCodeAsync(CodeRequest request, OneTimeCodes codes, OneTimeCodeSms sms, HttpResponse response,
        ILogger<OneTimeCodes> logger, CancellationToken cancellationToken)
    {
        var sent = await SendCodeAsync(request, codes, sms, logger, cancellationToken);
        if (sent.RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return sent.Problem ?? TypedResults.Accepted((string?)null, new CodeSent((int)codes.Options.Lifetime.TotalSeconds));
    }

    /// <summary>What asking for a code came to: sent (or silently not, for a phone without an account), or the problem.</summary>
    internal sealed record CodeRequestOutcome(IResult? Problem, string? ProblemName = null, TimeSpan? RetryAfter = null);

    /// <summary>
    /// Asks for a code: checks the request, the gateway and the per-phone limits, then sends it. Shared by the API and
    /// the resident portal's sign-in page, so both keep the same limits and answers.
    /// </summary>
    internal static async Task<CodeRequestOutcome> SendCodeAsync(CodeRequest request, OneTimeCodes codes, OneTimeCodeSms sms, ILogger logger,
        CancellationToken cancellationToken)
    {
        if (Normalize(request.Phone) is not { } phone || !OneTimeCodes.IsPurpose(request.Purpose) || (request.Locale is { } locale && !LocalePattern().IsMatch(locale)))
        {
            return new(Problem.Of(400, "bad-request", "A phone number and a purpose (signin or reset) are required", "The locale, if given, is a language tag such as zh-CN."),
                "bad-request");
        }

        if (!sms.Available)
        {
            return new(Problem.Of(503, "sms-unavailable", "Codes cannot be sent", "No SMS gateway is configured."), "sms-unavailable");
        }

        var user = await codes.FindUserAsync(phone, cancellationToken);
        var masked = Masking.Phone(phone)!;
        var subject = await codes.SubjectAsync(user, phone, cancellationToken);
        if (await codes.TooSoonAsync(subject, cancellationToken) is { } limit)
        {
            return new(Problem.Of(429, limit.Problem, "Too many codes asked for", "A phone gets one code a minute and five an hour."), limit.Problem, limit.RetryAfter);
        }

        var (row, code) = await codes.CreateAsync(subject, request.Purpose, cancellationToken);
        if (user is null)
        {
            // The row only counts the request, so an unknown phone meets the same limits as a known one.
            LogNoAccount(logger, request.Purpose, masked);
            return new(null);
        }

        // To the number on the account: a user name that looks like a phone is not proof it still is theirs.
        var destination = string.IsNullOrEmpty(user.PhoneNumber) ? phone : user.PhoneNumber;
        masked = Masking.Phone(destination)!;
        var outcome = await sms.SendAsync(row, code, destination, user, request.Locale, codes.Options.Lifetime, cancellationToken);
        if (outcome is not SendOutcome.Sent)
        {
            await codes.DeleteAsync(row, CancellationToken.None);
            var reason = outcome switch
            {
                SendOutcome.Retry retry => retry.Reason,
                SendOutcome.Failed failed => failed.Reason,
                _ => "",
            };
            LogNotSent(logger, request.Purpose, masked, Masking.Scrub(reason));
            return new(Problem.Of(503, "sms-unavailable", "The code could not be sent", "The SMS gateway did not take the message; try again in a while."), "sms-unavailable");
        }

        await codes.ExpireOthersAsync(row, cancellationToken);
        LogSent(logger, request.Purpose, masked, row.Id);
        return new(null);
    }

    private static async Task<IResult> SignInWithCodeAsync(CodeSignInRequest request, bool? useCookies, OneTimeCodes codes, SignInManager<YishiUser> signIn,
        ILogger<OneTimeCodes> logger, CancellationToken cancellationToken)
    {
        if (Normalize(request.Phone) is not { } phone || !IsCodeShaped(request.Code))
        {
            return Problem.Of(400, "bad-request", "A phone number and a code are required");
        }

        if (await codes.FindValidAsync(phone, OneTimeCodes.SignIn, request.Code, cancellationToken) is not var (user, row))
        {
            return CodeInvalid();
        }

        // Only after a right code, so the answer tells nobody else that the account exists; the code stays usable.
        if (await signIn.UserManager.IsLockedOutAsync(user))
        {
            return Problem.Of(423, "locked-out", "Too many failed sign-ins", "The account is locked for a while after repeated failures.");
        }

        if (!await codes.ConsumeAsync(row, cancellationToken))
        {
            return CodeInvalid();
        }

        // As /login: the bearer handler writes the token response itself.
        signIn.AuthenticationScheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "sms");
        LogSignedIn(logger, user.Id);
        return TypedResults.Empty;
    }

    private static async Task<IResult> ResetPasswordAsync(PasswordResetRequest request, OneTimeCodes codes, UserManager<YishiUser> users,
        ILogger<OneTimeCodes> logger, CancellationToken cancellationToken)
    {
        if (Normalize(request.Phone) is not { } phone || !IsCodeShaped(request.Code) || string.IsNullOrEmpty(request.NewPassword))
        {
            return Problem.Of(400, "bad-request", "A phone number, a code and the new password are required");
        }

        if (await codes.FindValidAsync(phone, OneTimeCodes.Reset, request.Code, cancellationToken) is not var (user, row))
        {
            return CodeInvalid();
        }

        // The rules are checked before the code is used, so a refused password does not cost the person their code.
        var refused = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            refused.AddRange((await validator.ValidateAsync(users, user, request.NewPassword)).Errors);
        }

        if (refused.Count > 0)
        {
            return PasswordRefused(refused);
        }

        if (!await codes.ConsumeAsync(row, cancellationToken))
        {
            return CodeInvalid();
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, request.NewPassword);
        if (!reset.Succeeded)
        {
            return PasswordRefused(reset.Errors);
        }

        // Whoever holds the phone chose a new password: a lockout earned by guesses at the old one no longer protects anything.
        await users.ResetAccessFailedCountAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        LogPasswordReset(logger, user.Id);
        return TypedResults.NoContent();
    }

    private static IResult CodeInvalid() =>
        Problem.Of(401, "code-invalid", "The code is wrong or no longer valid", "Codes work once, for a few minutes and five tries; ask for a new one.");

    private static IResult PasswordRefused(IEnumerable<IdentityError> errors) =>
        Problem.Of(422, "password-rejected", "The new password is not accepted", string.Join(" ", errors.Select(e => e.Description)));

    internal static bool IsCodeShaped(string? code) => !string.IsNullOrWhiteSpace(code) && code.Length <= 32;

    /// <summary>The number as stored (digits, <c>+86</c> dropped before a mainland mobile), or null if it is not a phone number.</summary>
    internal static string? Normalize(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var compact = phone.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (compact.StartsWith("+86", StringComparison.Ordinal) && compact.Length == 14)
        {
            compact = compact[3..];
        }

        return PhonePattern().IsMatch(compact) ? compact : null;
    }

    [GeneratedRegex(@"^\+?[0-9]{5,20}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}$")]
    private static partial Regex LocalePattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "A {Purpose} code was sent to {MaskedPhone} (code {CodeId})")]
    private static partial void LogSent(ILogger logger, string purpose, string maskedPhone, string codeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A {Purpose} code was asked for {MaskedPhone}, which names no single account; nothing was sent")]
    private static partial void LogNoAccount(ILogger logger, string purpose, string maskedPhone);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Purpose} code for {MaskedPhone} could not be sent: {Reason}")]
    private static partial void LogNotSent(ILogger logger, string purpose, string maskedPhone, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed in with a code")]
    internal static partial void LogSignedIn(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} reset their password with a code")]
    private static partial void LogPasswordReset(ILogger logger, string userId);
}
