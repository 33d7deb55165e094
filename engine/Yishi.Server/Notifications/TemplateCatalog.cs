using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Notifications.Templates;
using Yishi.Engine.Persistence;
using Yishi.Server.Data;

namespace Yishi.Server.Notifications;

/// <summary>A template version chosen for a message, compiled.</summary>
internal sealed record PinnedTemplate(string Key, string Locale, int Version, MessageTemplate Template);

/// <summary>
/// Finds the template text a case sends. Template versions are only ever added, and a published workflow version
/// uses, for each key and locale, the newest template version that existed when it was published (the first one
/// if the template came later). So editing a template changes what cases of workflows published afterwards send,
/// never what running cases send; re-publishing the workflow takes the edit on.
/// </summary>
internal sealed class TemplateCatalog(IServiceScopeFactory scopes, IWorkflowStore store, TemplateRenderer renderer)
{
    private readonly ConcurrentDictionary<(string, int), DateTimeOffset> _published = new();
    private readonly ConcurrentDictionary<(string, string, DateTimeOffset), Task<IReadOnlyList<PinnedTemplate>>> _pinned = new();

    /// <summary>The locales to try for a reader, best first.</summary>
    public static IEnumerable<string> Fallbacks(string locale) => new[] { locale, "zh-CN", "en" }.Distinct(StringComparer.Ordinal);

    /// <summary>The version of <paramref name="key"/> a workflow version sends, in the best locale for <paramref name="locale"/>; null when the key has no template.</summary>
    public async Task<PinnedTemplate?> ForAsync(string key, string locale, string definitionId, int definitionVersion, CancellationToken cancellationToken)
    {
        var published = await PublishedAtAsync(definitionId, definitionVersion, cancellationToken);
        var load = _pinned.GetOrAdd((key, "", published), _ => LoadAsync(key, published));
        var versions = await load.WaitAsync(cancellationToken);
        if (versions.Count == 0)
        {
            // Do not remember a miss: the template may be imported or written a moment later.
            _pinned.TryRemove(new KeyValuePair<(string, string, DateTimeOffset), Task<IReadOnlyList<PinnedTemplate>>>((key, "", published), load));
            return null;
        }
        foreach (var candidate in Fallbacks(locale))
        {
            if (versions.FirstOrDefault(v => v.Locale == candidate) is { } found)
            {
                return found;
            }
        }

        return versions[0];
    }

    /// <summary>The newest version of a key in a locale, for previews and for messages outside any workflow (codes, digests).</summary>
    public async Task<PinnedTemplate?> LatestAsync(string key, string locale, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        foreach (var candidate in Fallbacks(locale))
        {
            var row = await db.Templates.AsNoTracking().Where(t => t.Key == key && t.Locale == candidate)
                .OrderByDescending(t => t.Version).FirstOrDefaultAsync(cancellationToken);
            if (row is not null)
            {
                return new PinnedTemplate(row.Key, row.Locale, row.Version, renderer.Compile(row.Text));
            }
        }

        return null;
    }

    private async Task<DateTimeOffset> PublishedAtAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        if (_published.TryGetValue((definitionId, version), out var at))
        {
            return at;
        }

        // A version's publication time never changes; one read per version for the life of the process.
        var definition = await store.FindDefinitionAsync(definitionId, version, cancellationToken);
        at = definition?.PublishedAt ?? DateTimeOffset.MaxValue;
        _published.TryAdd((definitionId, version), at);
        return at;
    }

    private async Task<IReadOnlyList<PinnedTemplate>> LoadAsync(string key, DateTimeOffset publishedAt)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        // Few versions per key: compared here, because SQLite cannot compare DateTimeOffset in SQL.
        var rows = await db.Templates.AsNoTracking().Where(t => t.Key == key).ToListAsync();
        return [.. rows.GroupBy(r => r.Locale)
            .Select(g => g.Where(r => r.CreatedAt <= publishedAt).MaxBy(r => r.Version) ?? g.MinBy(r => r.Version)!)
            .OrderBy(r => r.Locale == "zh-CN" ? 0 : 1)
            .Select(r => new PinnedTemplate(r.Key, r.Locale, r.Version, renderer.Compile(r.Text)))];
    }
}
