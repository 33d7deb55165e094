using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Definitions;
using static Yishi.Engine.EntityFrameworkCore.RecordMapping;

namespace Yishi.Engine.EntityFrameworkCore;

public sealed partial class SqlWorkflowStore
{
    /// <inheritdoc />
    public async ValueTask<DefinitionVersion?> FindDefinitionAsync(string definitionId, int version, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var record = await context.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.Version == version, cancellationToken);
        return record is null ? null : ToVersion(record);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DefinitionVersion>> ListVersionsAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var rows = await context.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId).OrderBy(d => d.Version).ToListAsync(cancellationToken);
        return [.. rows.Select(ToVersion)];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DefinitionVersion>> ListDefinitionsAsync(CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var rows = await context.Definitions.AsNoTracking().OrderBy(d => d.DefinitionId).ThenBy(d => d.Version).ToListAsync(cancellationToken);
        return [.. rows.Select(ToVersion)];
    }

    /// <inheritdoc />
    public async ValueTask<bool> InsertDefinitionAsync(DefinitionVersion version, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        context.Definitions.Add(ToRecord(version));
        try
        {
            await context.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // The (id, version) key exists: someone else created this version first.
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateDraftAsync(string definitionId, int version, string json, string contentHash, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var draft = nameof(DefinitionStatus.Draft);
        var ms = Ms(at);
        // The status condition is in the UPDATE itself: a version published meanwhile is never overwritten.
        return await context.Definitions.Where(d => d.DefinitionId == definitionId && d.Version == version && d.Status == draft)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Json, json).SetProperty(d => d.ContentHash, contentHash).SetProperty(d => d.UpdatedAt, ms), cancellationToken) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> ChangeStatusAsync(string definitionId, int version, DefinitionStatus from, DefinitionStatus to, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var fromText = from.ToString();
        var toText = to.ToString();
        var ms = Ms(at);
        var rows = context.Definitions.Where(d => d.DefinitionId == definitionId && d.Version == version && d.Status == fromText);
        var changed = to == DefinitionStatus.Published
            ? await rows.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, toText).SetProperty(d => d.UpdatedAt, ms).SetProperty(d => d.PublishedAt, ms), cancellationToken)
            : await rows.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, toText).SetProperty(d => d.UpdatedAt, ms), cancellationToken);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> PublishDraftAsync(string definitionId, int version, Publication publication, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var draft = nameof(DefinitionStatus.Draft);
        var published = nameof(DefinitionStatus.Published);
        var ms = Ms(at);
        var note = publication.TrimmedNote;
        var by = publication.PublishedBy;
        // One UPDATE with the status condition: the note can never land on a version someone else published meanwhile.
        return await context.Definitions.Where(d => d.DefinitionId == definitionId && d.Version == version && d.Status == draft)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, published).SetProperty(d => d.UpdatedAt, ms).SetProperty(d => d.PublishedAt, ms)
                .SetProperty(d => d.PublishNote, note).SetProperty(d => d.PublishedBy, by), cancellationToken) == 1;
    }
}
