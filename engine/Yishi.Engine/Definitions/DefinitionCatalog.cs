using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Yishi.Engine.Activities;
using Yishi.Engine.Execution;
using Yishi.Engine.Expressions;
using Yishi.Engine.Persistence;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Definitions;

/// <summary>The result of a catalog operation: the version concerned, or the problems that prevented it.</summary>
/// <param name="Version">The stored version, when the operation succeeded.</param>
/// <param name="Problems">Errors (when it failed) and warnings.</param>
public sealed record CatalogResult(DefinitionVersion? Version, ImmutableArray<ValidationProblem> Problems)
{
    /// <summary>True when the operation succeeded.</summary>
    public bool Succeeded => Version is not null;
}

/// <summary>
/// Definition versions and their rules: at most one draft per definition; publishing validates and freezes
/// it; a published version is never changed (so running instances never change under their feet); retiring
/// stops new starts. Compiled graphs of published versions are cached: they are immutable.
/// </summary>
public sealed class DefinitionCatalog
{
    private static readonly long LatestCacheMilliseconds = 2000;
    private readonly IDefinitionStore _store;
    private readonly ActivityRegistry _registry;
    private readonly DefinitionValidator _validator;
    private readonly DefinitionLimits _limits;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<(string Id, int Version), Task<WorkflowGraph?>> _graphs = new();
    private readonly ConcurrentDictionary<string, (int Version, long FetchedAt)> _latest = new(StringComparer.Ordinal);

    /// <summary>Creates a catalog over a store.</summary>
    public DefinitionCatalog(IDefinitionStore store, ActivityRegistry registry, ExpressionEngine expressions, TimeProvider clock, DefinitionLimits? limits = null)
    {
        _store = store;
        _registry = registry;
        _clock = clock;
        _limits = limits ?? DefinitionLimits.Default;
        _validator = new DefinitionValidator(registry, expressions);
    }

    /// <summary>Parses and validates a definition document without storing it.</summary>
    public (WorkflowDefinition? Definition, ImmutableArray<ValidationProblem> Problems) Check(string json)
    {
        var parsed = DefinitionParser.Parse(json, _limits);
        if (parsed.Definition is null)
        {
            return (null, parsed.Problems);
        }

        return (parsed.Definition, parsed.Problems.AddRange(_validator.Validate(parsed.Definition, parsed.SourceMap)));
    }

    /// <summary>
    /// Saves a document as the definition's draft (creating the draft after the newest version if there is
    /// none). A draft may still have errors — staff save work in progress — but unreadable JSON is refused.
    /// </summary>
    public async Task<CatalogResult> SaveDraftAsync(string json, CancellationToken cancellationToken = default)
    {
        var (definition, problems) = Check(json);
        if (definition is null)
        {
            return new CatalogResult(null, problems);
        }

        var hash = Hash(json);
        var now = _clock.GetUtcNow();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var versions = await _store.ListVersionsAsync(definition.DefinitionId, cancellationToken);
            var latest = versions.Count == 0 ? null : versions[^1];
            if (latest is { Status: DefinitionStatus.Draft })
            {
                if (await _store.UpdateDraftAsync(latest.DefinitionId, latest.Version, json, hash, now, cancellationToken))
                {
                    return new CatalogResult(latest with { Json = json, ContentHash = hash, UpdatedAt = now }, problems);
                }

                continue;
            }

            var draft = new DefinitionVersion(definition.DefinitionId, (latest?.Version ?? 0) + 1, DefinitionStatus.Draft, json, hash, now, now, null);
            if (await _store.InsertDefinitionAsync(draft, cancellationToken))
            {
                return new CatalogResult(draft, problems);
            }
        }

        return new CatalogResult(null, problems.Add(ValidationProblem.Error(ProblemCodes.ConcurrentEdit, "The definition was changed by someone else at the same time; reload and try again.")));
    }

    /// <summary>Publishes the definition's draft; refused while it has errors.</summary>
    public Task<CatalogResult> PublishAsync(string definitionId, CancellationToken cancellationToken = default) =>
        PublishAsync(definitionId, null, cancellationToken);

    /// <summary>
    /// Publishes the definition's draft with a change note and its publisher (shown in the version history); refused
    /// while it has errors or when the note is longer than <see cref="Publication.MaxNoteLength"/>.
    /// </summary>
    public async Task<CatalogResult> PublishAsync(string definitionId, Publication? publication, CancellationToken cancellationToken = default)
    {
        publication ??= new Publication(null, null);
        if (publication.TrimmedNote is { Length: > Publication.MaxNoteLength } note)
        {
            return new CatalogResult(null, [ValidationProblem.Error(ProblemCodes.NoteTooLong,
                $"The change note has at most {Publication.MaxNoteLength} characters; it has {note.Length}.") with { Property = "note" }]);
        }

        var versions = await _store.ListVersionsAsync(definitionId, cancellationToken);
        if (versions.Count == 0 || versions[^1].Status != DefinitionStatus.Draft)
        {
            return new CatalogResult(null, [ValidationProblem.Error(ProblemCodes.NoDraft, $"'{definitionId}' has no draft to publish.")]);
        }

        var draft = versions[^1];
        var (_, problems) = Check(draft.Json);
        if (problems.Any(p => p.IsError))
        {
            return new CatalogResult(null, problems);
        }

        var now = _clock.GetUtcNow();
        if (!await _store.PublishDraftAsync(definitionId, draft.Version, publication, now, cancellationToken))
        {
            return new CatalogResult(null, [ValidationProblem.Error(ProblemCodes.ConcurrentEdit, "The draft changed while it was being published; try again.")]);
        }

        _latest.TryRemove(definitionId, out _);
        return new CatalogResult(draft with
        {
            Status = DefinitionStatus.Published,
            PublishedAt = now,
            UpdatedAt = now,
            PublishNote = publication.TrimmedNote,
            PublishedBy = publication.PublishedBy,
        }, problems);
    }

    /// <summary>Saves a document as a draft and publishes it: what importing a shipped workflow does.</summary>
    public async Task<CatalogResult> PublishDocumentAsync(string json, CancellationToken cancellationToken = default)
    {
        var draft = await SaveDraftAsync(json, cancellationToken);
        if (!draft.Succeeded || draft.Problems.Any(p => p.IsError))
        {
            return draft with { Version = null };
        }

        return await PublishAsync(draft.Version!.DefinitionId, cancellationToken);
    }

    /// <summary>Retires a published version: running instances go on, new ones cannot start on it.</summary>
    public async Task<bool> RetireAsync(string definitionId, int version, CancellationToken cancellationToken = default)
    {
        var retired = await _store.ChangeStatusAsync(definitionId, version, DefinitionStatus.Published, DefinitionStatus.Retired, _clock.GetUtcNow(), cancellationToken);
        _latest.TryRemove(definitionId, out _);
        return retired;
    }

    /// <summary>Copies a version into a new definition (as its first draft) under a new id.</summary>
    public async Task<CatalogResult> CopyAsync(string definitionId, int version, string newDefinitionId, CancellationToken cancellationToken = default)
    {
        var source = await _store.FindDefinitionAsync(definitionId, version, cancellationToken);
        if (source is null)
        {
            return new CatalogResult(null, [ValidationProblem.Error(ProblemCodes.NoDraft, $"'{definitionId}' has no version {version}.")]);
        }

        if ((await _store.ListVersionsAsync(newDefinitionId, cancellationToken)).Count > 0)
        {
            return new CatalogResult(null, [ValidationProblem.Error(ProblemCodes.IdInUse, $"'{newDefinitionId}' is already in use; a copy needs a new id.")]);
        }

        var document = JsonNode.Parse(source.Json, documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        document["definitionId"] = newDefinitionId;
        return await SaveDraftAsync(document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), cancellationToken);
    }

    /// <summary>The compiled graph of a published or retired version; null for drafts and unknown versions.</summary>
    public async Task<WorkflowGraph?> GetGraphAsync(string definitionId, int version, CancellationToken cancellationToken = default)
    {
        var task = _graphs.GetOrAdd((definitionId, version), key => LoadGraphAsync(key.Id, key.Version));
        var graph = await task.WaitAsync(cancellationToken);
        if (graph is null)
        {
            // Do not cache a miss: the version may be published a moment later.
            _graphs.TryRemove(new KeyValuePair<(string, int), Task<WorkflowGraph?>>((definitionId, version), task));
        }

        return graph;
    }

    /// <summary>The newest published version's graph, used for new instances.</summary>
    public async Task<WorkflowGraph?> GetLatestPublishedGraphAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        // Cached briefly: another server process may publish, and a start on a two-second-old version is fine.
        if (_latest.TryGetValue(definitionId, out var cached) && Environment.TickCount64 - cached.FetchedAt < LatestCacheMilliseconds)
        {
            return await GetGraphAsync(definitionId, cached.Version, cancellationToken);
        }

        var versions = await _store.ListVersionsAsync(definitionId, cancellationToken);
        var latest = versions.LastOrDefault(v => v.Status == DefinitionStatus.Published);
        if (latest is null)
        {
            return null;
        }

        _latest[definitionId] = (latest.Version, Environment.TickCount64);
        return await GetGraphAsync(definitionId, latest.Version, cancellationToken);
    }

    private async Task<WorkflowGraph?> LoadGraphAsync(string definitionId, int version)
    {
        var stored = await _store.FindDefinitionAsync(definitionId, version, CancellationToken.None);
        if (stored is null || stored.Status == DefinitionStatus.Draft)
        {
            return null;
        }

        var (definition, problems) = Check(stored.Json);
        if (definition is null || problems.Any(p => p.IsError))
        {
            // A published version validated when it was published; failing now means the registry lost a type.
            throw new InvalidOperationException($"Published definition '{definitionId}' v{version} no longer validates: {string.Join("; ", problems.Where(p => p.IsError))}");
        }

        return WorkflowGraph.Build(definition, version, _registry);
    }

    /// <summary>SHA-256 of a document, as lowercase hex.</summary>
    public static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
}
