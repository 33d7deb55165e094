using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Migrations;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.Runtime;

public sealed partial class WorkflowRuntime
{
    // More than any real case has open at once; a case is planned from all of its open bookmarks or not at all.
    private const int MaxOpenBookmarksPerCase = 10_000;

    /// <summary>
    /// Checks a migration request before any case is looked at: the target version exists and is published, some older
    /// version exists, and every map entry names an activity of an older version and one of the target version.
    /// </summary>
    public async Task<MigrationCheck> CheckMigrationAsync(MigrationRequest request, CancellationToken cancellationToken = default)
    {
        var (definitionId, toVersion, map) = request;
        var target = await _store.FindDefinitionAsync(definitionId, toVersion, cancellationToken);
        if (target is null)
        {
            return new MigrationCheck(false, [new MigrationNote(MigrationCodes.UnknownVersion, null, $"'{definitionId}' has no version {toVersion}.")]);
        }

        if (target.Status != DefinitionStatus.Published)
        {
            return new MigrationCheck(true, [new MigrationNote(MigrationCodes.NotPublished, null,
                $"v{toVersion} is {target.Status.ToString().ToLowerInvariant()}: cases move only to a published version.")]);
        }

        var graph = await Definitions.GetGraphAsync(definitionId, toVersion, cancellationToken)
                    ?? throw new InvalidOperationException($"Published '{definitionId}' v{toVersion} has no graph.");
        var older = new List<WorkflowGraph>();
        foreach (var version in (await _store.ListVersionsAsync(definitionId, cancellationToken)).Where(v => v.Version < toVersion && v.Status != DefinitionStatus.Draft))
        {
            older.Add(await Definitions.GetGraphAsync(definitionId, version.Version, cancellationToken)
                      ?? throw new InvalidOperationException($"Published '{definitionId}' v{version.Version} has no graph."));
        }

        if (older.Count == 0)
        {
            return new MigrationCheck(true, [new MigrationNote(MigrationCodes.NothingOlder, null, $"No version of '{definitionId}' older than v{toVersion} ever ran cases: v{toVersion} is not newer than anything.")]);
        }

        var problems = ImmutableArray.CreateBuilder<MigrationNote>();
        foreach (var (source, destination) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!older.Any(g => g.Contains(source)))
            {
                problems.Add(new MigrationNote(MigrationCodes.UnknownMapSource, source, $"The map renames '{source}', which no version older than v{toVersion} has."));
            }

            if (!graph.Contains(destination))
            {
                problems.Add(new MigrationNote(MigrationCodes.UnknownMapTarget, source, $"The map sends '{source}' to '{destination}', which v{toVersion} does not have."));
            }
        }

        return new MigrationCheck(true, problems.ToImmutable());
    }

    /// <summary>
    /// The dry run for one case: where it would stand on the request's target version and what would be lost. Null when
    /// there is no such case or <paramref name="actor"/> does not reach it (outside their scope looks the same as absent).
    /// </summary>
    public async Task<MigrationPlan?> PlanMigrationAsync(MigrationRequest request, string instanceId, Actor actor, CancellationToken cancellationToken = default)
    {
        var read = await ReadForMigrationAsync(request, instanceId, actor, cancellationToken);
        return read is var (instance, bookmarks, from, to) ? MigrationPlanner.Plan(instance, bookmarks, from, to, request.Map) : null;
    }

    /// <summary>
    /// Moves one case to the request's target version as its plan says, in one commit with one
    /// <see cref="JournalKind.InstanceMigrated"/> entry: nothing re-executes, open bookmarks keep their ids, deadlines and
    /// payloads. Refused cases are left untouched. A step committed on the case meanwhile makes it a
    /// <see cref="MigrationStatus.Conflict"/> (not retried here: the plan shown to a person may no longer hold).
    /// Children of sub-workflows are not migrated with their parent.
    /// </summary>
    public async Task<MigrationResult> MigrateAsync(MigrationRequest request, string instanceId, Actor actor, CancellationToken cancellationToken = default)
    {
        if (await ReadForMigrationAsync(request, instanceId, actor, cancellationToken) is not var (instance, bookmarks, from, to))
        {
            return new MigrationResult(instanceId, MigrationStatus.NotFound, null, $"There is no instance '{instanceId}', or no published v{request.ToVersion} of '{request.DefinitionId}'.");
        }

        var (plan, rewrite) = MigrationPlanner.Build(instance, bookmarks, from, to, request.Map);
        if (rewrite is null)
        {
            // A bookmark gone between the two reads means the case moved on meanwhile: the same as a conflict at commit.
            return plan.Problems.All(p => p.Code == MigrationCodes.BookmarkMissing)
                ? new MigrationResult(instanceId, MigrationStatus.Conflict, plan, "The case moved on while it was being read; nothing was changed. Run the dry run again and retry.")
                : new MigrationResult(instanceId, MigrationStatus.Refused, plan, "The case cannot move: see the plan's problems.");
        }

        var migrated = new WorkflowInstance
        {
            Id = instance.Id,
            DefinitionId = instance.DefinitionId,
            DefinitionVersion = to.Version,
            Status = instance.Status,
            CorrelationKey = instance.CorrelationKey,
            Scope = instance.Scope,
            ParentInstanceId = instance.ParentInstanceId,
            ParentBookmarkId = instance.ParentBookmarkId,
            CreatedAt = instance.CreatedAt,
            UpdatedAt = instance.UpdatedAt,
            FinishedAt = instance.FinishedAt,
            Version = instance.Version,
            State = rewrite.State,
        };
        var session = new ExecutionSession(migrated, to, _clock.GetUtcNow(), actor, _services);
        var renames = new JsonObject();
        foreach (var (source, destination) in plan.Renames)
        {
            renames[source] = destination;
        }

        session.Record(JournalKind.InstanceMigrated, message: string.Create(CultureInfo.InvariantCulture, $"v{from.Version} → v{to.Version}"),
            data: new JsonObject { ["fromVersion"] = from.Version, ["toVersion"] = to.Version, ["map"] = renames });
        foreach (var bookmark in bookmarks.Where(b => rewrite.WithdrawnBookmarkIds.Contains(b.Id)))
        {
            session.Consume(bookmark.Id);
            session.Record(JournalKind.BookmarkWithdrawn, bookmark.ActivityId, bookmark.ActivityType, bookmarkId: bookmark.Id, message: "Left behind; withdrawn by the migration.");
        }

        var commit = StepCommits.Build([session], StepExtras.None) with
        {
            VersionChanges = [new VersionChange(instance.Id, from.Version, to.Version)],
            BookmarkMoves = rewrite.BookmarkMoves,
        };
        var outcome = await _committer.CommitAsync(commit, cancellationToken);
        if (outcome.Committed)
        {
            LogMigrated(_logger, instance.Id, from.Version, to.Version);
            return new MigrationResult(instanceId, MigrationStatus.Migrated, plan);
        }

        return outcome.Conflict is not null
            ? new MigrationResult(instanceId, MigrationStatus.Conflict, plan, "The case moved on while it was being migrated; nothing was changed. Run the dry run again and retry.")
            : new MigrationResult(instanceId, MigrationStatus.Failed, plan, outcome.Error?.Message ?? "The migration could not be saved.");
    }

    private async Task<(WorkflowInstance Instance, IReadOnlyList<Bookmark> Bookmarks, WorkflowGraph From, WorkflowGraph To)?> ReadForMigrationAsync(
        MigrationRequest request, string instanceId, Actor actor, CancellationToken cancellationToken)
    {
        var instance = await _store.FindInstanceAsync(instanceId, cancellationToken);
        if (instance is null || !actor.Reaches(instance.Scope))
        {
            return null;
        }

        // The bookmarks are read right after the instance. A step committing in between leaves a token waiting on a bookmark
        // that is no longer open (the plan says so, and the migration reports a conflict); one committing later changes the
        // instance's version, and the commit refuses.
        var bookmarks = instance.IsFinished ? [] : await _store.QueryBookmarksAsync(new BookmarkQuery { InstanceId = instanceId, Limit = MaxOpenBookmarksPerCase }, cancellationToken);

        // The target is the request's definition, not the case's: a case of another definition is then refused by the plan, with its reason.
        var to = await Definitions.GetGraphAsync(request.DefinitionId, request.ToVersion, cancellationToken);
        if (to is null || (await _store.FindDefinitionAsync(request.DefinitionId, request.ToVersion, cancellationToken))?.Status != DefinitionStatus.Published)
        {
            return null;
        }
        return (instance, bookmarks, await GraphOfAsync(instance, cancellationToken), to);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {InstanceId} migrated from v{FromVersion} to v{ToVersion}")]
    private static partial void LogMigrated(ILogger logger, string instanceId, int fromVersion, int toVersion);
}
