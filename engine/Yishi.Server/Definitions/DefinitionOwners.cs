using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Yishi.Server.Data;

namespace Yishi.Server.Definitions;

/// <summary>
/// Which org unit owns each definition, remembered once read: starting a case checks it, and a definition's
/// owner never changes after it is made, so a cached answer cannot go stale.
/// </summary>
internal sealed class DefinitionOwners(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<string, string> _owners = new(StringComparer.Ordinal);

    /// <summary>The owning org unit, or null for a definition the server does not know.</summary>
    public async ValueTask<string?> OwnerOfAsync(string definitionId, CancellationToken cancellationToken)
    {
        if (_owners.TryGetValue(definitionId, out var owner))
        {
            return owner;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        owner = await db.DefinitionOwnerships.AsNoTracking().Where(d => d.DefinitionId == definitionId).Select(d => d.OrgUnitId).FirstOrDefaultAsync(cancellationToken);
        // Absent ones are not remembered: the definition may be created a moment later, here or in another process.
        return owner is null ? null : _owners.GetOrAdd(definitionId, owner);
    }
}
