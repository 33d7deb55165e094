using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Server.Data;

namespace Yishi.Server.Identity;

/// <summary>
/// Codes sent by SMS to sign in or reset a password: six random digits that work for a few minutes, once, for five
/// wrong tries at most; only a keyed hash is stored (see <see cref="OneTimeCodeKey"/>). A phone gets one code a minute
/// and five an hour, counted from the table, whether or not it belongs to an account: answering differently for
/// unknown phones would tell anyone which numbers have accounts.
/// </summary>
internal sealed class OneTimeCodes(ServerDbContext db, UserManager<YishiUser> users, OneTimeCodeKey keys, IOptions<OneTimeCodeOptions> options, TimeProvider clock)
{
    public const string SignIn = "signin";
    public const string Reset = "reset";

    // Rows for phones without an account: a keyed hash of the number, so the table never holds it.
    private const string UnknownPhonePrefix = "phone:";

    public OneTimeCodeOptions Options { get; } = options.Value;

    public static bool IsPurpose(string? purpose) => purpose is SignIn or Reset;

    /// <summary>
    /// The account a phone names and its right, unexpired code for <paramref name="purpose"/>; null for an unknown phone
    /// or a wrong code alike, so the two cannot be told apart.
    /// </summary>
    public async Task<(YishiUser User, OneTimeCode Code)?> FindValidAsync(string phone, string purpose, string code, CancellationToken cancellationToken = default) =>
        await FindUserAsync(phone, cancellationToken) is { } user && await CheckAsync(user.Id, purpose, code.Trim(), cancellationToken) is { } row ? (user, row) : null;

    /// <summary>
    /// The one account a phone names: the user whose user name it is, else the only user with that phone number. A
    /// number shared by several accounts names none, since a code cannot say which of them it is for.
    /// </summary>
    public async Task<YishiUser?> FindUserAsync(string phone, CancellationToken cancellationToken = default)
    {
        var normalized = users.NormalizeName(phone);
        var matches = await db.Users.Where(u => u.NormalizedUserName == normalized || u.PhoneNumber == phone).Take(3).ToListAsync(cancellationToken);
        return matches.Find(u => u.NormalizedUserName == normalized) ?? (matches.Count == 1 ? matches[0] : null);
    }

    /// <summary>Who the rate limit counts for: the account, or for an unknown phone a keyed hash of the number.</summary>
    public async Task<string> SubjectAsync(YishiUser? user, string phone, CancellationToken cancellationToken = default) =>
        user?.Id ?? UnknownPhonePrefix + OneTimeCodeKey.Hash(await keys.GetAsync(db, cancellationToken), "phone", "subject", phone);

    /// <summary>Null when another code may be sent now; otherwise the problem name and how long to wait.</summary>
    public async Task<(string Problem, TimeSpan RetryAfter)?> TooSoonAsync(string subject, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await SweepAsync(now, cancellationToken);
        var since = (now - OneTimeCodeOptions.Window).ToUnixTimeMilliseconds();
        var recent = await db.OneTimeCodes.AsNoTracking().Where(c => c.UserId == subject && c.CreatedAt > since).Select(c => c.CreatedAt).ToListAsync(cancellationToken);
        var next = recent.Count == 0 ? now : DateTimeOffset.FromUnixTimeMilliseconds(recent.Max()) + OneTimeCodeOptions.Cooldown;
        if (next > now)
        {
            return ("code-too-soon", next - now);
        }

        if (recent.Count >= OneTimeCodeOptions.PerWindow)
        {
            return ("too-many-codes", DateTimeOffset.FromUnixTimeMilliseconds(recent.Min()) + OneTimeCodeOptions.Window - now);
        }

        return null;
    }

    /// <summary>Stores a new code for the account (or a dead row counting an unknown phone's request); answers the code.</summary>
    public async Task<(OneTimeCode Row, string Code)> CreateAsync(string subject, string purpose, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var code = RandomNumberGenerator.GetInt32(1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var id = Guid.CreateVersion7(now).ToString("N");
        var row = new OneTimeCode
        {
            Id = id,
            UserId = subject,
            Purpose = purpose,
            CodeHash = OneTimeCodeKey.Hash(await keys.GetAsync(db, cancellationToken), id, purpose, code),
            // An unknown phone's row only counts towards the limit: it is born expired.
            ExpiresAt = (subject.StartsWith(UnknownPhonePrefix, StringComparison.Ordinal) ? now : now + Options.Lifetime).ToUnixTimeMilliseconds(),
            CreatedAt = now.ToUnixTimeMilliseconds(),
        };
        db.OneTimeCodes.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(row).State = EntityState.Detached;
        return (row, code);
    }

    /// <summary>The SMS went out: older unused codes of the person for the same purpose stop working.</summary>
    public Task ExpireOthersAsync(OneTimeCode row, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // Expired rather than deleted: they still count towards the hourly limit.
        return db.OneTimeCodes.Where(c => c.UserId == row.UserId && c.Purpose == row.Purpose && c.Id != row.Id && c.UsedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpiresAt, now), cancellationToken);
    }

    /// <summary>The SMS did not go out: the code was never seen, so it neither works nor counts.</summary>
    public Task DeleteAsync(OneTimeCode row, CancellationToken cancellationToken = default) =>
        db.OneTimeCodes.Where(c => c.Id == row.Id).ExecuteDeleteAsync(cancellationToken);

    /// <summary>
    /// Checks a code against the person's newest live one. The try is counted before the comparison, in one update
    /// that also checks the limit, so parallel guesses cannot get more than <see cref="OneTimeCodeOptions.MaxAttempts"/>
    /// comparisons; a right code gets its try back. Answers the row when the code is right, null otherwise. The row
    /// still works until <see cref="ConsumeAsync"/>.
    /// </summary>
    public async Task<OneTimeCode?> CheckAsync(string userId, string purpose, string code, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = await Live(userId, purpose, now).OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        if (row is null || await Live(userId, purpose, now).Where(c => c.Id == row.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts + 1), cancellationToken) == 0)
        {
            return null;
        }

        var hash = OneTimeCodeKey.Hash(await keys.GetAsync(db, cancellationToken), row.Id, purpose, code);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(row.CodeHash)))
        {
            return null;
        }

        await db.OneTimeCodes.Where(c => c.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts - 1), cancellationToken);
        return row;
    }

    /// <summary>Marks a right code used; false when a parallel request used it first (a code works once).</summary>
    public async Task<bool> ConsumeAsync(OneTimeCode row, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await Live(row.UserId, row.Purpose, now).Where(c => c.Id == row.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken) == 1;
    }

    private IQueryable<OneTimeCode> Live(string userId, string purpose, long now) =>
        db.OneTimeCodes.AsNoTracking().Where(c => c.UserId == userId && c.Purpose == purpose && c.UsedAt == null && c.ExpiresAt > now
                                                   && c.Attempts < OneTimeCodeOptions.MaxAttempts);

    // Rows past the hourly window and expired neither work nor count: dropped whenever a code is asked for, which keeps
    // the table to the last hour's requests (the key row never expires).
    private async Task SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = (now - OneTimeCodeOptions.Window).ToUnixTimeMilliseconds();
        var nowMs = now.ToUnixTimeMilliseconds();
        await db.OneTimeCodes.Where(c => c.CreatedAt < before && c.ExpiresAt < nowMs && c.Id != OneTimeCodeKey.RowId).ExecuteDeleteAsync(cancellationToken);
    }
}
