using Microsoft.EntityFrameworkCore;
using Yishi.Server.Data;

namespace Yishi.Server.OrgUnits;

/// <summary>
/// Every org unit's path, held in memory: the tree is small (a street has tens of units) and is read on every
/// case started, so it is loaded once and reloaded after a change here or, for changes made by another server
/// process, after <see cref="Freshness"/>.
/// </summary>
internal sealed class OrgUnitDirectory(IServiceScopeFactory scopes, TimeProvider clock)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    private sealed record Snapshot(IReadOnlyDictionary<string, string> Paths, DateTimeOffset LoadedAt);

    private volatile Snapshot? _snapshot;

    /// <summary>Org unit id → path (<c>/s1/c1/</c>).</summary>
    public async ValueTask<IReadOnlyDictionary<string, string>> PathsAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } current && clock.GetUtcNow() - current.LoadedAt < Freshness)
        {
            return current.Paths;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var paths = await db.OrgUnits.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Path, StringComparer.Ordinal, cancellationToken);
        _snapshot = new Snapshot(paths, clock.GetUtcNow());
        return paths;
    }

    /// <summary>The path of a unit, or null when there is no such unit.</summary>
    public async ValueTask<string?> PathOfAsync(string orgUnitId, CancellationToken cancellationToken) =>
        (await PathsAsync(cancellationToken)).GetValueOrDefault(orgUnitId);

    /// <summary>The unit a path ends in: <c>/s1/c1/</c> → <c>c1</c>.</summary>
    public static string? IdOf(string? path) =>
        path is { Length: > 2 } ? path[(path.LastIndexOf('/', path.Length - 2) + 1)..^1] : null;

    /// <summary>Forgets the cached tree after a change made through this process.</summary>
    public void Invalidate() => _snapshot = null;
}
