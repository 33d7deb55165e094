using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Yishi.Engine.Definitions;
using Yishi.Engine.Instances;
using Yishi.Engine.Migrations;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Validation;
using Yishi.Server.Audit;
using Yishi.Server.Identity;
using Yishi.Server.OrgUnits;
using Yishi.Server.Problems;

namespace Yishi.Server.Definitions.Migrations;

/// <summary>
/// Moving open cases of a workflow to a newer published version: a dry run that says, per case, where it would stand
/// and what would be lost, and the migration itself (each case all or nothing, journaled on the case). The rules are
/// the engine's <see cref="MigrationPlanner"/>'s. Designers act on the cases they reach (their unit and below), of
/// workflows they may see; other cases answer as if they did not exist.
/// </summary>
internal static class MigrationEndpoints
{
    /// <summary>The most cases one request plans or moves; a bigger backlog is moved in several requests.</summary>
    public const int MaxCases = 500;

    /// <param name="ToVersion">The published version to move to.</param>
    /// <param name="InstanceIds">The cases to move; empty or absent: every open case of the workflow on an older version, in reach (at most <see cref="MaxCases"/>).</param>
    /// <param name="Map">Old activity id → new activity id, for renamed activities; others keep their id.</param>
    public sealed record MigrationBody(int? ToVersion, IReadOnlyList<string>? InstanceIds, IReadOnlyDictionary<string, string>? Map);

    /// <param name="ToVersion">The target version.</param>
    /// <param name="Limit">At most this many cases are looked at per request.</param>
    /// <param name="Truncated">True when more open cases were on older versions than <paramref name="Limit"/>: run again for the rest.</param>
    /// <param name="Cases">One row per case.</param>
    public sealed record MigrationAnswer(int ToVersion, int Limit, bool Truncated, IReadOnlyList<CaseView> Cases);

    /// <param name="InstanceId">The case.</param>
    /// <param name="FromVersion">Its version before; null when it was not found.</param>
    /// <param name="CorrelationKey">Its business key.</param>
    /// <param name="CanMigrate">False when a problem refuses the move.</param>
    /// <param name="StandsAt">Where it would stand (or, after a migration, stands) on the target version.</param>
    /// <param name="Lost">Warnings: what would be lost, or kept as the old version set it up.</param>
    /// <param name="Problems">Why it cannot move.</param>
    public sealed record CaseView(string InstanceId, int? FromVersion, string? CorrelationKey, bool CanMigrate, IReadOnlyList<PlacementView> StandsAt,
        IReadOnlyList<NoteView> Lost, IReadOnlyList<NoteView> Problems)
    {
        /// <summary>Only in the answer of a migration: whether this case moved.</summary>
        public bool? Migrated { get; init; }

        /// <summary>Only in the answer of a migration: migrated, refused, conflict (moved on meanwhile: retry), not-found or failed.</summary>
        public string? Outcome { get; init; }
    }

    /// <param name="From">The activity in the case's current version.</param>
    /// <param name="To">Its counterpart in the target version.</param>
    /// <param name="Name">The counterpart's display name, by locale.</param>
    /// <param name="Type">Its activity type.</param>
    /// <param name="Wait">task, timer, message, sub-workflow, ballot, consultation, cosign, join, incident or ready.</param>
    /// <param name="BookmarkId">The open wait, which keeps its id, deadline and payload.</param>
    /// <param name="DueAt">Its deadline or firing time.</param>
    public sealed record PlacementView(string From, string To, LocalizedText Name, string Type, string Wait, string? BookmarkId, DateTimeOffset? DueAt);

    /// <param name="Code">Stable code (e.g. <c>migration.join-arrival-lost</c>).</param>
    /// <param name="ActivityId">The activity concerned, by the case's current version's ids.</param>
    /// <param name="Message">What and why.</param>
    public sealed record NoteView(string Code, string? ActivityId, string Message);

    public static IEndpointRouteBuilder MapMigrationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/definitions/{definitionId}/migrations").WithTags("Definitions").RequireAuthorization(Policies.Design);
        group.MapPost("/dry-run", DryRunAsync).WithName("PlanMigration")
            .WithSummary($"Says, per open case, where it would stand on toVersion and what would be lost; changes nothing. Without instanceIds: every open case on an older version you reach (at most {MaxCases}).")
            .Produces<MigrationAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/", MigrateAsync).WithName("MigrateInstances")
            .WithSummary("Moves the cases to toVersion: each case that can move moves whole (journaled, nothing re-executed), the others stay untouched; the answer says which.")
            .Produces<MigrationAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<IResult> DryRunAsync(string definitionId, MigrationBody body, ClaimsPrincipal user, WorkflowRuntime runtime, IWorkflowStore store,
        OrgScope scope, CancellationToken cancellationToken)
    {
        var (request, ids, truncated, refusal) = await PrepareAsync(definitionId, body, user, runtime, store, scope, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var actor = user.ToActor();
        var cases = new List<CaseView>(ids.Length);
        foreach (var id in ids)
        {
            var plan = await runtime.PlanMigrationAsync(request!, id, actor, cancellationToken);
            cases.Add(plan is null ? NotFound(id) : View(plan));
        }

        return TypedResults.Ok(new MigrationAnswer(request!.ToVersion, MaxCases, truncated, cases));
    }

    private static async Task<IResult> MigrateAsync(string definitionId, MigrationBody body, ClaimsPrincipal user, WorkflowRuntime runtime, IWorkflowStore store,
        OrgScope scope, AuditLog audit, CancellationToken cancellationToken)
    {
        var (request, ids, truncated, refusal) = await PrepareAsync(definitionId, body, user, runtime, store, scope, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var actor = user.ToActor();
        var cases = new List<CaseView>(ids.Length);
        var moved = new JsonArray();
        foreach (var id in ids)
        {
            var result = await runtime.MigrateAsync(request!, id, actor, cancellationToken);
            var view = result.Plan is { } plan ? View(plan) : NotFound(id);
            cases.Add(view with { Migrated = result.Migrated, Outcome = Outcome(result.Status) });
            if (result.Migrated)
            {
                moved.Add(id);
            }
        }

        if (moved.Count > 0)
        {
            // The cases' journals hold the detail; the audit chain records that staff changed the rules under running cases.
            var map = new JsonObject();
            foreach (var (source, destination) in request!.Map.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                map[source] = destination;
            }

            await audit.AppendAsync("definition.instances_migrated", $"definition:{definitionId}", new JsonObject
            {
                ["toVersion"] = request.ToVersion,
                ["by"] = user.UserId(),
                ["migrated"] = moved.Count,
                ["instances"] = moved,
                ["map"] = map,
            }, cancellationToken);
        }

        return TypedResults.Ok(new MigrationAnswer(request!.ToVersion, MaxCases, truncated, cases));
    }

    /// <summary>Checks the request and picks the cases: the ones named, or every open case on an older version the user reaches.</summary>
    private static async Task<(MigrationRequest? Request, ImmutableArray<string> Ids, bool Truncated, IResult? Refusal)> PrepareAsync(string definitionId,
        MigrationBody body, ClaimsPrincipal user, WorkflowRuntime runtime, IWorkflowStore store, OrgScope scope, CancellationToken cancellationToken)
    {
        var problems = new CaseFiles.FieldProblems();
        if (body.ToVersion is null)
        {
            problems.Add("toVersion", "required", "Say which version the cases move to (toVersion).");
        }

        var named = (body.InstanceIds ?? []).Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (named.Length > MaxCases)
        {
            problems.Add("instanceIds", "too-many", $"At most {MaxCases} cases per request; it names {named.Length}.");
        }

        if (named.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("instanceIds", "blank", "An instance id is blank.");
        }

        var map = body.Map ?? ImmutableDictionary<string, string>.Empty;
        if (map.Any(p => string.IsNullOrWhiteSpace(p.Key) || string.IsNullOrWhiteSpace(p.Value)))
        {
            problems.Add("map", "blank", "The map sends activity ids to activity ids; none may be blank.");
        }

        if (problems.Any)
        {
            return (null, [], false, problems.ToResult("The migration request is incomplete"));
        }

        // A workflow of another unit answers as absent, like the other definition endpoints.
        if ((await store.ListVersionsAsync(definitionId, cancellationToken)).Count == 0 || !await scope.CanSeeDefinitionAsync(user, definitionId, cancellationToken))
        {
            return (null, [], false, Problem.Of(404, "not-found", "Not found", $"There is no definition '{definitionId}'."));
        }

        var request = new MigrationRequest(definitionId, body.ToVersion!.Value, map);
        var check = await runtime.CheckMigrationAsync(request, cancellationToken);
        if (!check.TargetFound)
        {
            return (null, [], false, Problem.Of(404, "unknown-version", "No such version", $"'{definitionId}' has no version {request.ToVersion}.", Problems(check.Problems)));
        }

        if (!check.Succeeded)
        {
            var name = check.Problems.Any(p => p.Code is MigrationCodes.UnknownMapSource or MigrationCodes.UnknownMapTarget) ? "unknown-activity"
                : check.Problems.Any(p => p.Code == MigrationCodes.NothingOlder) ? "not-newer" : "not-published";
            return (null, [], false, Problem.Of(422, name, "The cases cannot move to this version", string.Join(" ", check.Problems.Select(p => p.Message)), Problems(check.Problems)));
        }

        if (!named.IsEmpty)
        {
            return (request, named, false, null);
        }

        var (open, truncated) = await OpenCasesAsync(definitionId, request.ToVersion, user.Scope(), runtime, cancellationToken);
        return (request, open, truncated, null);
    }

    /// <summary>Open cases of the workflow on versions older than the target, in the user's reach, newest first, at most <see cref="MaxCases"/>.</summary>
    private static async Task<(ImmutableArray<string> Ids, bool Truncated)> OpenCasesAsync(string definitionId, int toVersion, string? scopePrefix, WorkflowRuntime runtime,
        CancellationToken cancellationToken)
    {
        var found = new List<InstanceSummary>();
        foreach (var status in (InstanceStatus[])[InstanceStatus.Waiting, InstanceStatus.Faulted, InstanceStatus.Running])
        {
            for (var offset = 0; found.Count <= MaxCases; offset += MaxCases)
            {
                var page = await runtime.QueryInstancesAsync(new InstanceQuery
                {
                    DefinitionId = definitionId,
                    Status = status,
                    ScopePrefix = scopePrefix,
                    Limit = MaxCases,
                    Offset = offset,
                }, cancellationToken);
                found.AddRange(page.Where(i => i.DefinitionVersion < toVersion));
                if (page.Count < MaxCases)
                {
                    break;
                }
            }
        }

        var ordered = found.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id, StringComparer.Ordinal).ToList();
        return ([.. ordered.Take(MaxCases).Select(i => i.Id)], ordered.Count > MaxCases);
    }

    private static CaseView View(MigrationPlan plan) => new(plan.InstanceId, plan.FromVersion, plan.CorrelationKey, plan.CanMigrate,
        [.. plan.StandsAt.Select(p => new PlacementView(p.From, p.To, p.Name, p.Type, Wait(p.Wait), p.BookmarkId, p.DueAt))],
        [.. plan.Warnings.Select(Note)], [.. plan.Problems.Select(Note)]);

    /// <summary>Unknown, and outside the user's reach, look the same: existence is not revealed across org units.</summary>
    private static CaseView NotFound(string instanceId) => new(instanceId, null, null, false, [], [],
        [new NoteView("not-found", null, $"There is no open case '{instanceId}' that you can reach.")]);

    private static NoteView Note(MigrationNote note) => new(note.Code, note.ActivityId, note.Message);

    private static IEnumerable<ValidationProblem> Problems(IEnumerable<MigrationNote> notes) =>
        notes.Select(n => ValidationProblem.Error(n.Code, n.Message) with { ActivityId = n.ActivityId });

    private static string Wait(WaitKind wait) => wait switch
    {
        WaitKind.SubWorkflow => "sub-workflow",
        _ => wait.ToString().ToLowerInvariant(),
    };

    private static string Outcome(MigrationStatus status) => status switch
    {
        MigrationStatus.NotFound => "not-found",
        _ => status.ToString().ToLowerInvariant(),
    };
}
