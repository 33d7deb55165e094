using System.Collections.Concurrent;
using Yishi.Engine.Rehearsals;

namespace Yishi.Server.Rehearsals;

/// <summary>
/// The rehearsals in progress on this server, in memory only: they are tries, not cases, and touch no database
/// row. Each belongs to the designer who made it; an idle one is dropped after <see cref="IdleLimit"/>, and there
/// are at most <see cref="MaxRehearsals"/> at once.
/// </summary>
internal sealed class RehearsalRoom(TimeProvider clock) : IAsyncDisposable
{
    public const int MaxRehearsals = 200;
    public static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(30);

    private sealed record Entry(Rehearsal Rehearsal, string OwnerId, string DefinitionId)
    {
        public DateTimeOffset LastUsed { get; set; }
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Keeps a new rehearsal; false when the room is full even after dropping idle ones.</summary>
    public async Task<string?> AddAsync(Rehearsal rehearsal, string ownerId, string definitionId)
    {
        await DropIdleAsync();
        if (_entries.Count >= MaxRehearsals)
        {
            return null;
        }

        var id = Guid.CreateVersion7(clock.GetUtcNow()).ToString("N");
        _entries[id] = new Entry(rehearsal, ownerId, definitionId) { LastUsed = clock.GetUtcNow() };
        return id;
    }

    /// <summary>The owner's rehearsal, or null: another designer's looks absent.</summary>
    public (Rehearsal Rehearsal, string DefinitionId)? Find(string id, string ownerId)
    {
        if (!_entries.TryGetValue(id, out var entry) || entry.OwnerId != ownerId)
        {
            return null;
        }

        entry.LastUsed = clock.GetUtcNow();
        return (entry.Rehearsal, entry.DefinitionId);
    }

    public async Task<bool> RemoveAsync(string id, string ownerId)
    {
        if (Find(id, ownerId) is null || !_entries.TryRemove(id, out var entry))
        {
            return false;
        }

        await entry.Rehearsal.DisposeAsync();
        return true;
    }

    private async Task DropIdleAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, entry) in _entries)
        {
            if (now - entry.LastUsed > IdleLimit && _entries.TryRemove(id, out var idle))
            {
                await idle.Rehearsal.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in _entries.Values)
        {
            await entry.Rehearsal.DisposeAsync();
        }

        _entries.Clear();
    }
}
