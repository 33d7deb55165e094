namespace Yishi.Designer.Api;

/// <summary>
/// Signing residents in and out from the portal's plain pages. A server-rendered form post cannot hand the API's
/// cookie to the browser through an HTTP client, so the host signs the person in on the request itself (its cookie
/// scheme), with the same lockout and rate limits as the API's sign-in endpoints.
/// </summary>
public interface IResidentSignIn
{
    /// <summary>Signs in with the phone number (or user name) and password.</summary>
    Task<ResidentSignInResult> PasswordAsync(string phone, string password, CancellationToken cancellationToken);

    /// <summary>Sends a one-time sign-in code by SMS; answers the same for a phone with or without an account.</summary>
    Task<ResidentSignInResult> SendCodeAsync(string phone, string locale, CancellationToken cancellationToken);

    /// <summary>Signs in with a code sent by SMS.</summary>
    Task<ResidentSignInResult> CodeAsync(string phone, string code, CancellationToken cancellationToken);

    /// <summary>Ends the cookie session.</summary>
    Task SignOutAsync(CancellationToken cancellationToken);
}

/// <summary>How a sign-in step went.</summary>
public enum ResidentSignInOutcome
{
    /// <summary>Signed in, or (for a code request) the code was sent if the phone has an account.</summary>
    Done,

    /// <summary>The phone or the code is not shaped like one.</summary>
    Invalid,

    /// <summary>Wrong phone or password.</summary>
    WrongPassword,

    /// <summary>The code is wrong, used, expired or tried too often.</summary>
    CodeInvalid,

    /// <summary>The account is locked for a while after repeated failures.</summary>
    LockedOut,

    /// <summary>Too many tries from this address, or codes asked for too often.</summary>
    TooManyTries,

    /// <summary>Codes cannot be sent now (no SMS gateway, or it refused).</summary>
    SmsUnavailable,

    /// <summary>The account exists but is not a resident's.</summary>
    NotResident,
}

/// <summary>A sign-in step's outcome; <paramref name="RetryAfterSeconds"/> when the person must wait.</summary>
public sealed record ResidentSignInResult(ResidentSignInOutcome Outcome, int? RetryAfterSeconds = null)
{
    public bool Succeeded => Outcome == ResidentSignInOutcome.Done;
}
