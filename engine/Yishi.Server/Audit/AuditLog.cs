using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Server.Data;

namespace Yishi.Server.Audit;

/// <summary>
/// The append-only, hash-chained audit log of ballots and consultations. Appends are serial: one at a time in this
/// process, and across server processes the sequence number is the primary key, so two processes that both take
/// "previous + 1" cannot both succeed: the loser re-reads the head and tries again. The chain never holds ballot
/// choices or personal data; callers pass ids, counts and reasons only.
/// </summary>
public sealed partial class AuditLog(IServiceScopeFactory scopes, TimeProvider clock, ILogger<AuditLog> logger) : IDisposable
{
    /// <summary>Entries read per query while verifying or exporting: a long chain never loads at once.</summary>
    public const int PageSize = 1000;

    /// <summary>Longest <see cref="AuditEntry.Kind"/>.</summary>
    public const int MaxKindLength = 64;

    /// <summary>Longest <see cref="AuditEntry.Subject"/>.</summary>
    public const int MaxSubjectLength = 200;

    // Another process appending at the same moment costs one retry each time; this many in a row means something else is wrong.
    private const int MaxAttempts = 50;

    private readonly SemaphoreSlim _gate = new(1, 1);

    // The head this process last wrote; null when unknown (at start, and after any failure), then read from the database.
    private AuditHead? _head;

    /// <summary>
    /// Appends an entry and answers the new head. <paramref name="data"/> is stored as compact JSON: ids, counts,
    /// stances, reasons — never a ballot's choices, names, phones or free text written by residents.
    /// </summary>
    public async Task<AuditHead> AppendAsync(string kind, string subject, JsonObject data, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(kind.Length, MaxKindLength, nameof(kind));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(subject.Length, MaxSubjectLength, nameof(subject));
        var text = AuditChain.DataText(data);

        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var known = _head;
                _head = null;
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
                var previous = known ?? await ReadHeadAsync(db, cancellationToken);
                var entry = AuditChain.Seal((previous?.Sequence ?? 0) + 1, clock.GetUtcNow(), kind, subject, text, previous?.Hash ?? AuditChain.Genesis);
                db.Audit.Add(entry);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    _head = new AuditHead(entry.Sequence, entry.Hash);
                    return _head;
                }
                catch (DbUpdateException) when (attempt < MaxAttempts)
                {
                    if (!await IsTakenAsync(entry.Sequence, cancellationToken))
                    {
                        throw;
                    }

                    // Another server process appended this sequence first: build on its entry instead.
                    LogSequenceTaken(logger, entry.Sequence, attempt);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The newest entry, or null while the chain is empty.</summary>
    public async Task<AuditHead?> HeadAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await ReadHeadAsync(scope.ServiceProvider.GetRequiredService<ServerDbContext>(), cancellationToken);
    }

    /// <summary>
    /// Walks the whole chain in sequence order, a page at a time, recomputing every hash and link. With
    /// <paramref name="anchor"/> (a head published earlier), also checks that the entry at its sequence still has
    /// its hash: a chain rewritten consistently inside the database passes every other check, but not that one.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(AuditHead? anchor, CancellationToken cancellationToken = default)
    {
        var head = await HeadAsync(cancellationToken);
        long expected = 1;
        var previousHash = AuditChain.Genesis;
        await foreach (var entry in ReadAsync(null, 1, null, cancellationToken))
        {
            var checkedSoFar = expected - 1;
            if (entry.Sequence != expected)
            {
                return AuditVerification.Broken(checkedSoFar, expected, $"Entry {expected} is missing: the next entry stored is {entry.Sequence}.", head);
            }

            if (AuditChain.HashOf(entry) != entry.Hash)
            {
                return AuditVerification.Broken(checkedSoFar, entry.Sequence, $"Entry {entry.Sequence} does not match its hash: its content was changed.", head);
            }

            if (entry.PrevHash != previousHash)
            {
                return AuditVerification.Broken(checkedSoFar, entry.Sequence,
                    $"Entry {entry.Sequence} does not link to entry {entry.Sequence - 1}: its prevHash is not that entry's hash.", head);
            }

            if (anchor is not null && entry.Sequence == anchor.Sequence && entry.Hash != anchor.Hash)
            {
                return AuditVerification.Broken(checkedSoFar, entry.Sequence,
                    $"Entry {entry.Sequence} is not the one the anchor names: the chain was rewritten from this entry or earlier.", head);
            }

            previousHash = entry.Hash;
            expected++;
        }

        var entries = expected - 1;
        return anchor is not null && anchor.Sequence > entries
            ? AuditVerification.Broken(entries, anchor.Sequence, $"The chain ends at entry {entries}, before the anchor's entry {anchor.Sequence}: entries were removed.", head)
            : AuditVerification.Intact(entries, head);
    }

    /// <summary>
    /// Entries in sequence order from <paramref name="fromSequence"/> on, of one subject or of all, at most
    /// <paramref name="limit"/> (all when null); read a page at a time, for lists and exports.
    /// </summary>
    public async IAsyncEnumerable<AuditEntry> ReadAsync(string? subject, long fromSequence = 1, int? limit = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = fromSequence - 1;
        var left = limit ?? int.MaxValue;
        while (left > 0)
        {
            List<AuditEntry> page;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var rows = scope.ServiceProvider.GetRequiredService<ServerDbContext>().Audit.AsNoTracking().Where(e => e.Sequence > after);
                if (subject is not null)
                {
                    rows = rows.Where(e => e.Subject == subject);
                }

                page = await rows.OrderBy(e => e.Sequence).Take(Math.Min(left, PageSize)).ToListAsync(cancellationToken);
            }

            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < Math.Min(left, PageSize))
            {
                yield break;
            }

            left -= page.Count;
            after = page[^1].Sequence;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private static async Task<AuditHead?> ReadHeadAsync(ServerDbContext db, CancellationToken cancellationToken) =>
        await db.Audit.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new AuditHead(e.Sequence, e.Hash)).FirstOrDefaultAsync(cancellationToken);

    private async Task<bool> IsTakenAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ServerDbContext>().Audit.AnyAsync(e => e.Sequence == sequence, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit entry {Sequence} was appended by another process first (attempt {Attempt}); building on it")]
    private static partial void LogSequenceTaken(ILogger logger, long sequence, int attempt);
}
