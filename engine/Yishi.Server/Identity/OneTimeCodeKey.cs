using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Server.Data;

namespace Yishi.Server.Identity;

/// <summary>
/// The HMAC-SHA256 key one-time codes are hashed with, the same on every node.
/// </summary>
/// <remarks>
/// A code has only a million values, so a plain hash would be no protection: anyone reading the table could try them
/// all in a moment. The hash is therefore keyed with a server secret. Data Protection cannot supply it (it encrypts
/// with a random IV, so it gives no repeatable value to compare), hence two sources, simplest first:
/// <list type="number">
/// <item><c>Yishi:OneTimeCodes:Secret</c>, hashed with SHA-256 into a 32-byte key. Kept outside the database, so a
/// database copy alone cannot be searched for live codes. This is the setting to use in production.</item>
/// <item>Otherwise 32 random bytes made the first time a code is asked for and kept in the codes table itself, in a
/// reserved row (<see cref="RowId"/>, no user, never expiring) that no lookup by user matches and the sweep skips.
/// Every node on the database reads the same row; two nodes racing to create it agree on whichever insert wins. It
/// keeps codes out of the table, backups and logs, but not from someone who has the whole database.</item>
/// </list>
/// Each hash also covers the code's id and purpose (see <see cref="Hash"/>), so equal codes hash differently and a
/// hash copied to another row matches nothing.
/// </remarks>
internal sealed class OneTimeCodeKey(IOptions<OneTimeCodeOptions> options, TimeProvider clock)
{
    /// <summary>The reserved row holding the database's own key when no secret is configured.</summary>
    public const string RowId = "hmac-key";

    private const string RowPurpose = "key";

    private byte[]? _key = string.IsNullOrEmpty(options.Value.Secret) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Secret));

    /// <summary>The key: the configured secret's, or the database's (read once per process).</summary>
    public async ValueTask<byte[]> GetAsync(ServerDbContext db, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _key) is { } key)
        {
            return key;
        }

        key = await ReadAsync(db, cancellationToken);
        if (key is null)
        {
            var row = new OneTimeCode
            {
                Id = RowId,
                UserId = "",
                Purpose = RowPurpose,
                CodeHash = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                ExpiresAt = long.MaxValue,
                CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            db.OneTimeCodes.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another node (or request) made it first: theirs is the key.
            }
            finally
            {
                db.Entry(row).State = EntityState.Detached;
            }

            key = await ReadAsync(db, cancellationToken) ?? throw new InvalidOperationException("The one-time code key could not be stored.");
        }

        Volatile.Write(ref _key, key);
        return key;
    }

    /// <summary>
    /// HMAC-SHA256 of <c>id:purpose:code</c>, hex. The values are digits, hex and fixed words, so the separator cannot be
    /// forged from inside one of them.
    /// </summary>
    public static string Hash(byte[] key, string id, string purpose, string code) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}:{purpose}:{code}")));

    private static async Task<byte[]?> ReadAsync(ServerDbContext db, CancellationToken cancellationToken)
    {
        var hex = await db.OneTimeCodes.AsNoTracking().Where(c => c.Id == RowId).Select(c => c.CodeHash).FirstOrDefaultAsync(cancellationToken);
        return hex is null ? null : Convert.FromHexString(hex);
    }
}
