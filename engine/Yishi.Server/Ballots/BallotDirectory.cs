using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Ballots;
using Yishi.Server.Data;

namespace Yishi.Server.Ballots;

/// <summary>
/// What a vote needs to know before it is written, kept in memory: the ballot's settings and its roll. The roll is
/// frozen at notice and never changes, so it is read once per ballot instead of once per vote (two lookups a vote
/// were 44 % of the server's time at 1,600 votes a second). The ballot row is re-read after a second; a state it
/// shows late cannot let a vote in after the close, because the vote writer refuses every vote queued after the
/// close, and the voting window itself is judged by the clock.
/// </summary>
internal sealed class BallotDirectory(IServiceScopeFactory scopes)
{
    /// <summary>A person on a roll.</summary>
    public sealed record Voter(string CountKey, bool Verified);

    /// <summary>A ballot's settings as read, with its questions parsed once.</summary>
    public sealed record Entry(BallotRecord Ballot, IReadOnlyList<BallotQuestion> Questions, long ReadAt);

    private const int MaxRolls = 64;
    private static readonly long Freshness = Stopwatch.Frequency;
    private readonly ConcurrentDictionary<string, Entry> _ballots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<FrozenDictionary<string, Voter>>>> _rolls = new(StringComparer.Ordinal);

    /// <summary>The ballot, at most a second old; null when there is none (not remembered, so a ballot made a moment later is found).</summary>
    public async Task<Entry?> BallotAsync(string id, CancellationToken cancellationToken)
    {
        if (_ballots.TryGetValue(id, out var known) && Stopwatch.GetTimestamp() - known.ReadAt < Freshness)
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var ballot = await db.Ballots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (ballot is null)
        {
            return null;
        }

        var entry = new Entry(ballot, BallotCounter.Questions(ballot), Stopwatch.GetTimestamp());
        _ballots[id] = entry;
        return entry;
    }

    /// <summary>The person on the ballot's roll, or null when they are not on it.</summary>
    public async Task<Voter?> VoterAsync(string ballotId, string userId, CancellationToken cancellationToken)
    {
        if (_rolls.Count >= MaxRolls && !_rolls.ContainsKey(ballotId))
        {
            // Many ballots at once is rare; dropping every roll is simpler than tracking use and costs one read each.
            _rolls.Clear();
        }

        var roll = _rolls.GetOrAdd(ballotId, id => new Lazy<Task<FrozenDictionary<string, Voter>>>(() => ReadRollAsync(id)));
        try
        {
            return (await roll.Value.WaitAsync(cancellationToken)).GetValueOrDefault(userId);
        }
        catch (Exception) when (roll.Value.IsFaulted)
        {
            // A failed read is not kept: the next vote reads again.
            _rolls.TryRemove(KeyValuePair.Create(ballotId, roll));
            throw;
        }
    }

    /// <summary>How a count voted (<c>online</c>, <c>paper</c>) or null; read fresh, for the rare answer that needs it.</summary>
    public async Task<string?> ChannelAsync(string ballotId, string countKey, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        return await db.BallotTurnout.Where(t => t.BallotId == ballotId && t.CountKey == countKey).Select(t => t.Channel).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Forgets a ballot (it closed): its roll is not needed for voting any more.</summary>
    public void Forget(string ballotId)
    {
        _ballots.TryRemove(ballotId, out _);
        _rolls.TryRemove(ballotId, out _);
    }

    private async Task<FrozenDictionary<string, Voter>> ReadRollAsync(string ballotId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var voters = await db.BallotVoters.AsNoTracking().Where(v => v.BallotId == ballotId).Select(v => new { v.UserId, v.CountKey, v.Verified }).ToListAsync();
        return voters.ToFrozenDictionary(v => v.UserId, v => new Voter(v.CountKey, v.Verified), StringComparer.Ordinal);
    }
}
