using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Definitions;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Hosting;
using Yishi.Server.Identity;
using Yishi.Server.OrgUnits;
using Yishi.Server.Problems;

namespace Yishi.Server.Definitions;

/// <summary>Workflow definitions: drafts, publishing, versions, export and validation.</summary>
internal static class DefinitionEndpoints
{
    /// <summary>A definition version as the API shows it; <see cref="Definition"/> is the document itself.</summary>
    public sealed record DefinitionView(string DefinitionId, int Version, DefinitionStatus Status, string ContentHash, string OrgUnitId,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt, JsonNode? Definition)
    {
        /// <summary>What validation found in a saved draft: a draft may be saved with errors, which then block publishing.</summary>
        public IReadOnlyList<ProblemView>? Problems { get; init; }

        /// <summary>The change note given when the version was published; null when none was given.</summary>
        public string? Note { get; init; }

        /// <summary>The user id of whoever published it; null for versions the server published itself (shipped workflows).</summary>
        public string? PublishedBy { get; init; }
    }

    /// <summary>The optional body of a publish.</summary>
    /// <param name="Note">A short plain-text change note (「调解期限由30日改为20日」), at most <see cref="Publication.MaxNoteLength"/> characters.</param>
    public sealed record PublishRequest(string? Note);

    /// <summary>A row of the definition list.</summary>
    public sealed record DefinitionSummary(string DefinitionId, LocalizedText? Name, string OrgUnitId, int LatestVersion, DefinitionStatus LatestStatus, int? PublishedVersion);

    public sealed record ValidationView(bool Valid, IReadOnlyList<ProblemView> Problems);

    public static IEndpointRouteBuilder MapDefinitionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/definitions").WithTags("Definitions").RequireAuthorization(Policies.Design);
        group.MapGet("/", ListAsync).WithName("ListDefinitions")
            .WithSummary("The workflows you may see, each with its latest and its published version.")
            .Produces<IReadOnlyList<DefinitionSummary>>();
        // The document is read as text, not bound, so that a broken one is answered with its problems (and their lines).
        group.MapPost("/", CreateAsync).WithName("CreateDefinition")
            .WithSummary("Creates a definition's first draft from a JSON document (the request body).")
            .Accepts<JsonObject>("application/json")
            .Produces<DefinitionView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/validate", ValidateAsync).WithName("ValidateDefinition")
            .WithSummary("Checks a JSON document; answers every problem with its location.")
            .Accepts<JsonObject>("application/json")
            .Produces<ValidationView>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/{definitionId}", GetAsync).WithName("GetDefinition")
            .WithSummary("The latest version, or the given one; its ETag is what saving the draft needs in If-Match.")
            .Produces<DefinitionView>()
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", "The version's content hash: send it as If-Match when saving the draft.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{definitionId}/draft", SaveDraftAsync).WithName("SaveDraft")
            .WithSummary("Saves the draft. Needs If-Match with the ETag of the version it was edited from.")
            .WithRequestHeader("If-Match", "The ETag of the version the draft was edited from (GET /api/definitions/{definitionId}).", required: true)
            .Accepts<JsonObject>("application/json")
            .Produces<DefinitionView>()
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", "The saved draft's ETag, for the next save.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        // The body is optional (older clients send none, without a Content-Type), so it is read by hand rather than bound.
        group.MapPost("/{definitionId}/publish", PublishAsync).WithName("PublishDefinition")
            .WithSummary("Publishes the draft as the version new instances start, with an optional change note ({\"note\": \"…\"}); 422 while validation finds errors.")
            .Accepts<PublishRequest>(isOptional: true, "application/json")
            .Produces<DefinitionView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{definitionId}/retire", RetireAsync).WithName("RetireDefinition")
            .WithSummary("Retires a published version: running instances finish on it, new ones cannot start on it.")
            .Produces<DefinitionView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{definitionId}/versions", VersionsAsync).WithName("ListDefinitionVersions")
            .WithSummary("Every version, oldest first, without the documents.")
            .Produces<IReadOnlyList<DefinitionView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{definitionId}/export", ExportAsync).WithName("ExportDefinition")
            .WithSummary("The document as saved, as a file download.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, IWorkflowStore store, ServerDbContext db, OrgScope scope, CancellationToken cancellationToken)
    {
        var owners = await db.DefinitionOwnerships.AsNoTracking().ToDictionaryAsync(o => o.DefinitionId, o => o.OrgUnitId, cancellationToken);
        var rows = new List<DefinitionSummary>();
        foreach (var versions in (await store.ListDefinitionsAsync(cancellationToken)).GroupBy(v => v.DefinitionId))
        {
            var owner = owners.GetValueOrDefault(versions.Key, "");
            if (!await scope.CanSeeAsync(user, owner, cancellationToken))
            {
                continue;
            }

            var latest = versions.MaxBy(v => v.Version)!;
            rows.Add(new DefinitionSummary(versions.Key, DefinitionParser.Parse(latest.Json).Definition?.Name, owner, latest.Version, latest.Status,
                versions.Where(v => v.Status == DefinitionStatus.Published).Select(v => (int?)v.Version).Max()));
        }

        return TypedResults.Ok(rows);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, string? orgUnitId, ClaimsPrincipal user, WorkflowRuntime runtime, IWorkflowStore store,
        ServerDbContext db, OrgScope scope, CancellationToken cancellationToken)
    {
        var json = await ReadBodyAsync(request, cancellationToken);
        var (definition, problems) = runtime.Definitions.Check(json);
        if (definition is null)
        {
            return Problem.Invalid("The document is not a readable workflow definition.", problems);
        }

        var owner = orgUnitId ?? user.OrgUnit();
        if (!await scope.CanChangeAsync(user, owner, cancellationToken))
        {
            return Problem.Of(403, "forbidden", "You cannot create workflows for that org unit.");
        }

        if ((await store.ListVersionsAsync(definition.DefinitionId, cancellationToken)).Count > 0)
        {
            return Problem.Of(409, "definition-exists", "A definition with this id exists", "Edit its draft instead, or give a copy a new definitionId.");
        }

        var saved = await runtime.Definitions.SaveDraftAsync(json, cancellationToken);
        if (!saved.Succeeded)
        {
            return Problem.Invalid("The draft could not be saved.", saved.Problems);
        }

        db.DefinitionOwnerships.Add(new DefinitionOwnership { DefinitionId = definition.DefinitionId, OrgUnitId = owner });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/definitions/{definition.DefinitionId}", View(saved.Version!, owner) with { Problems = [.. saved.Problems.Select(ProblemView.Of)] });
    }

    private static async Task<IResult> ValidateAsync(HttpRequest request, WorkflowRuntime runtime, Notifications.TemplateReferences templates, CancellationToken cancellationToken)
    {
        var json = await ReadBodyAsync(request, cancellationToken);
        var (_, problems) = runtime.Definitions.Check(json);
        problems = problems.AddRange(await templates.ProblemsAsync(json, cancellationToken));
        return TypedResults.Ok(new ValidationView(!problems.Any(p => p.IsError), [.. problems.Select(ProblemView.Of)]));
    }

    private static async Task<IResult> GetAsync(string definitionId, int? version, HttpContext http, ClaimsPrincipal user, IWorkflowStore store, ServerDbContext db,
        OrgScope scope, CancellationToken cancellationToken)
    {
        var (found, owner) = await FindAsync(definitionId, version, store, db, cancellationToken);
        if (found is null || !await scope.CanSeeAsync(user, owner, cancellationToken))
        {
            return Problem.Of(404, "not-found", $"There is no definition '{definitionId}'{(version is null ? "" : $" v{version}")}.");
        }

        http.Response.Headers.ETag = ETag(found);
        return TypedResults.Ok(View(found, owner));
    }

    private static async Task<IResult> SaveDraftAsync(string definitionId, HttpRequest request, ClaimsPrincipal user, WorkflowRuntime runtime, IWorkflowStore store,
        ServerDbContext db, OrgScope scope, CancellationToken cancellationToken)
    {
        var (latest, owner, refusal) = await FindChangeableAsync(definitionId, null, user, store, db, scope,
            $"There is no definition '{definitionId}'; create it with POST /api/definitions.", "This workflow belongs to another org unit; copy it to change it.", cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var ifMatch = request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            return Problem.Of(428, "if-match-required", "If-Match is required", "Send the ETag of the version you edited, so two editors cannot overwrite each other.");
        }

        if (ifMatch != ETag(latest!))
        {
            return Problem.Of(412, "edited-meanwhile", "Someone else saved this workflow meanwhile", "Reload it, apply your change again and save.");
        }

        var json = await ReadBodyAsync(request, cancellationToken);
        var (definition, problems) = runtime.Definitions.Check(json);
        if (definition is null)
        {
            return Problem.Invalid("The document is not a readable workflow definition.", problems);
        }

        if (definition.DefinitionId != definitionId)
        {
            return Problem.Of(400, "id-mismatch", "The document's definitionId differs from the address", "A copy gets a new id: create it with POST /api/definitions.");
        }

        var saved = await runtime.Definitions.SaveDraftAsync(json, cancellationToken);
        if (!saved.Succeeded)
        {
            return Problem.Invalid("The draft could not be saved.", saved.Problems);
        }

        request.HttpContext.Response.Headers.ETag = ETag(saved.Version!);
        return TypedResults.Ok(View(saved.Version!, owner) with { Problems = [.. saved.Problems.Select(ProblemView.Of)] });
    }

    private static async Task<IResult> PublishAsync(string definitionId, HttpRequest request, ClaimsPrincipal user, WorkflowRuntime runtime, IWorkflowStore store,
        ServerDbContext db, OrgScope scope, Scheduling.ScheduledStarts schedule, Notifications.TemplateReferences templates, CancellationToken cancellationToken)
    {
        var (latest, owner, refusal) = await FindChangeableAsync(definitionId, null, user, store, db, scope,
            $"There is no definition '{definitionId}'.", "This workflow belongs to another org unit.", cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var (note, badNote) = await ReadPublishNoteAsync(request, cancellationToken);
        if (badNote is not null)
        {
            return badNote;
        }

        // The engine cannot read Quartz's cron dialect, so the server refuses an unreadable schedule here.
        // So is a message or document whose template does not exist: it would never be sent.
        var serverProblems = Scheduling.StartSchedule.Problems(latest!.Json).AddRange(await templates.ProblemsAsync(latest.Json, cancellationToken));
        if (serverProblems.Any(p => p.IsError))
        {
            return Problem.Invalid("The draft cannot be published yet.", serverProblems);
        }

        var published = await runtime.Definitions.PublishAsync(definitionId, new Publication(note, user.UserId()), cancellationToken);
        if (!published.Succeeded)
        {
            return Problem.Invalid("The draft cannot be published yet.", published.Problems);
        }

        await schedule.RefreshAsync(definitionId, cancellationToken);
        return TypedResults.Ok(View(published.Version!, owner) with { Problems = [.. published.Problems.Concat(serverProblems).Select(ProblemView.Of)] });
    }

    private static async Task<IResult> RetireAsync(string definitionId, int version, ClaimsPrincipal user, WorkflowRuntime runtime, IWorkflowStore store,
        ServerDbContext db, OrgScope scope, Scheduling.ScheduledStarts schedule, CancellationToken cancellationToken)
    {
        var (_, owner, refusal) = await FindChangeableAsync(definitionId, version, user, store, db, scope,
            $"There is no definition '{definitionId}' v{version}.", "This workflow belongs to another org unit.", cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!await runtime.Definitions.RetireAsync(definitionId, version, cancellationToken))
        {
            return Problem.Of(409, "not-published", "Only a published version can be retired.");
        }

        await schedule.RefreshAsync(definitionId, cancellationToken);
        return TypedResults.Ok(View((await store.FindDefinitionAsync(definitionId, version, cancellationToken))!, owner));
    }

    private static async Task<IResult> VersionsAsync(string definitionId, ClaimsPrincipal user, IWorkflowStore store, ServerDbContext db, OrgScope scope,
        CancellationToken cancellationToken)
    {
        var (latest, owner) = await FindAsync(definitionId, null, store, db, cancellationToken);
        if (latest is null || !await scope.CanSeeAsync(user, owner, cancellationToken))
        {
            return Problem.Of(404, "not-found", $"There is no definition '{definitionId}'.");
        }

        var versions = await store.ListVersionsAsync(definitionId, cancellationToken);
        return TypedResults.Ok(versions.Select(v => View(v, owner) with { Definition = null }).ToList());
    }

    private static async Task<IResult> ExportAsync(string definitionId, int? version, ClaimsPrincipal user, IWorkflowStore store, ServerDbContext db, OrgScope scope,
        CancellationToken cancellationToken)
    {
        var (found, owner) = await FindAsync(definitionId, version, store, db, cancellationToken);
        if (found is null || !await scope.CanSeeAsync(user, owner, cancellationToken))
        {
            return Problem.Of(404, "not-found", $"There is no definition '{definitionId}'.");
        }

        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(found.Json), "application/json", $"{definitionId}.v{found.Version}.json");
    }

    private static async Task<(DefinitionVersion? Version, string Owner)> FindAsync(string definitionId, int? version, IWorkflowStore store, ServerDbContext db,
        CancellationToken cancellationToken)
    {
        var versions = version is null ? await store.ListVersionsAsync(definitionId, cancellationToken) : [];
        var found = version is { } v
            ? await store.FindDefinitionAsync(definitionId, v, cancellationToken)
            : versions.Count > 0 ? versions[^1] : null;
        var owner = (await db.DefinitionOwnerships.AsNoTracking().FirstOrDefaultAsync(o => o.DefinitionId == definitionId, cancellationToken))?.OrgUnitId ?? "";
        return (found, owner);
    }

    /// <summary>A version the caller may change: 404 when it does not exist, 403 when it belongs outside the caller's org units.</summary>
    private static async Task<(DefinitionVersion? Version, string Owner, IResult? Refusal)> FindChangeableAsync(string definitionId, int? version, ClaimsPrincipal user,
        IWorkflowStore store, ServerDbContext db, OrgScope scope, string notFound, string forbidden, CancellationToken cancellationToken)
    {
        var (found, owner) = await FindAsync(definitionId, version, store, db, cancellationToken);
        if (found is null)
        {
            return (null, owner, Problem.Of(404, "not-found", notFound));
        }

        return await scope.CanChangeAsync(user, owner, cancellationToken)
            ? (found, owner, null)
            : (found, owner, Problem.Of(403, "forbidden", forbidden));
    }

    /// <summary>
    /// The change note of a publish request: none when the body is empty (with or without a Content-Type), 400 when the
    /// body is not <c>{"note": "…"}</c> or the note is too long, with the field named.
    /// </summary>
    private static async Task<(string? Note, IResult? Refusal)> ReadPublishNoteAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var text = await ReadBodyAsync(request, cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        PublishRequest? body;
        try
        {
            body = JsonSerializer.Deserialize<PublishRequest>(text, NoteJson);
        }
        catch (JsonException)
        {
            body = null;
        }

        var problems = new CaseFiles.FieldProblems();
        if (body is null)
        {
            problems.Add("note", "bad-request", "The body is optional; when sent, it is {\"note\": \"…\"} with the note as text.");
            return (null, problems.ToResult("The publish request is not readable"));
        }

        var note = new Publication(body.Note, null).TrimmedNote;
        if (note is { Length: > Publication.MaxNoteLength })
        {
            problems.Add("note", "too-long", $"'note' has at most {Publication.MaxNoteLength} characters; it has {note.Length}.");
            return (null, problems.ToResult("The change note is too long"));
        }

        return (note, null);
    }

    private static readonly JsonSerializerOptions NoteJson = new(JsonSerializerDefaults.Web);

    private static string ETag(DefinitionVersion version) => $"\"{version.ContentHash}\"";

    private static DefinitionView View(DefinitionVersion version, string owner) => new(version.DefinitionId, version.Version, version.Status, version.ContentHash, owner,
        version.CreatedAt, version.UpdatedAt, version.PublishedAt, ParseOrNull(version.Json))
    {
        Note = version.PublishNote,
        PublishedBy = version.PublishedBy,
    };

    private static JsonNode? ParseOrNull(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
