using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Engine.Instances;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Instances;
using Yishi.Server.Notifications;
using Yishi.Server.Problems;

namespace Yishi.Server.Attachments;

/// <summary>
/// The files of a case: staff who work it and its parties add them; whoever may see the case lists and downloads
/// them. A case someone may not see answers as if neither it nor its files existed.
/// </summary>
internal static class AttachmentEndpoints
{
    private const string Tag = "Cases";

    /// <summary>An attachment as listed: the name as uploaded (it is the case's content), the type the server recognised.</summary>
    public sealed record AttachmentView(string Id, string InstanceId, string FileName, string ContentType, long Size, string Sha256, string? Description,
        string AddedBy, DateTimeOffset AddedAt);

    public static IEndpointRouteBuilder MapAttachmentEndpoints(this IEndpointRouteBuilder app)
    {
        // People, not API keys: the handler narrows to staff who reach the case and its parties.
        app.MapPost("/api/instances/{id}/attachments", AddAsync).RequireAuthorization(Policies.SignedIn).WithTags(Tag).WithName("AddAttachment")
            .WithSummary("Attaches a file to the case (multipart/form-data: 'file', optional 'description'): staff of the case's unit and the case's parties. "
                + "413 over the size limit; 415 for a type not accepted or content that is not what the name says.")
            .AcceptsMultipartFile()
            .Produces<AttachmentView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        app.MapGet("/api/instances/{id}/attachments", ListAsync).RequireAuthorization(Policies.ReadInstances).WithTags(Tag).WithName("ListAttachments")
            .WithSummary("The files of a case, oldest first.")
            .Produces<IReadOnlyList<AttachmentView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/attachments/{attachmentId}", DownloadAsync).RequireAuthorization(Policies.ReadInstances).WithTags(Tag).WithName("DownloadAttachment")
            .WithSummary("The file, as a download under its original name, with the content type it was stored with.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> AddAsync(string id, HttpRequest request, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, AttachmentStore store,
        IOptions<AttachmentOptions> options, TimeProvider clock, ILogger<AttachmentStore> log, CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !await MayAddAsync(user, instance, db, cancellationToken))
        {
            return InstanceEndpoints.NotFound(id);
        }

        // Every other request is held to Yishi:MaxRequestBytes; an upload may be as large as a file plus its form. Before
        // any byte is read, or the server no longer lets the limit change.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = AttachmentForm.MaxRequestBytes(options.Value);
        }

        var userId = user.UserId();
        var reading = await AttachmentForm.ReadAsync(request, store, options.Value, cancellationToken);
        if (reading.Upload is not { } upload)
        {
            var refusal = reading.Refusal!;
            log.Refused(id, userId, refusal.Name);
            return refusal.ToProblem();
        }

        using var staged = upload.File;
        store.Keep(staged);
        var now = clock.GetUtcNow();
        var attachment = new CaseAttachment
        {
            Id = TimeOrderedId.Next(now),
            InstanceId = id,
            FileName = upload.FileName,
            ContentType = upload.Type.ContentType,
            Size = staged.Size,
            Sha256 = staged.Sha256,
            Description = upload.Description,
            AddedBy = userId,
            AddedAt = now,
        };
        // Should this fail, the kept file stays in the store unreferenced: harmless, and reused if the same content comes again.
        db.CaseAttachments.Add(attachment);
        await db.SaveChangesAsync(cancellationToken);

        // The file is the case's now, whatever the client does next: its journal says so even if the client has gone.
        var noted = await runtime.NoteAsync(id, "attachment added",
            new JsonObject { ["what"] = "attachment", ["attachmentId"] = attachment.Id, ["size"] = attachment.Size, ["type"] = attachment.ContentType },
            user.ToActor(), CancellationToken.None);
        if (!noted.Succeeded)
        {
            log.NotJournalled(attachment.Id, id, noted.Status);
        }

        log.Added(attachment.Id, id, attachment.Size, attachment.ContentType, attachment.AddedBy);
        return TypedResults.Created($"/api/attachments/{attachment.Id}", View(attachment));
    }

    private static async Task<IResult> ListAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !await user.MaySeeAsync(instance, db, cancellationToken))
        {
            return InstanceEndpoints.NotFound(id);
        }

        var rows = await db.CaseAttachments.AsNoTracking().Where(a => a.InstanceId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.OrderBy(a => a.Id, StringComparer.Ordinal).Select(View).ToList());
    }

    private static async Task<IResult> DownloadAsync(string attachmentId, HttpResponse response, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db,
        AttachmentStore store, ILogger<AttachmentStore> log, CancellationToken cancellationToken)
    {
        var attachment = await db.CaseAttachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId, cancellationToken);
        if (attachment is null || await runtime.FindInstanceAsync(attachment.InstanceId, cancellationToken) is not { } instance
            || !await user.MaySeeAsync(instance, db, cancellationToken))
        {
            return NotFound(attachmentId);
        }

        var path = store.PathOf(attachment.Sha256);
        if (!File.Exists(path))
        {
            log.FileMissing(attachment.Id, attachment.InstanceId);
            return NotFound(attachmentId);
        }

        // Uploaded content is served as what it was checked to be, never sniffed into something a browser would run,
        // and kept out of shared caches: it is personal.
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        response.Headers.CacheControl = "private, no-store";
        // Ranges let a browser play a recorded statement and seek in it.
        return TypedResults.PhysicalFile(path, attachment.ContentType, attachment.FileName, enableRangeProcessing: true);
    }

    /// <summary>Staff who reach the case, and residents who are party to it; not API keys, and not users without a role.</summary>
    private static async Task<bool> MayAddAsync(ClaimsPrincipal user, WorkflowInstance instance, ServerDbContext db, CancellationToken cancellationToken) =>
        (Roles.Staff.Any(user.IsInRole) || user.IsInRole(Roles.Resident)) && await user.MaySeeAsync(instance, db, cancellationToken);

    private static AttachmentView View(CaseAttachment a) =>
        new(a.Id, a.InstanceId, a.FileName, a.ContentType, a.Size, a.Sha256, a.Description, a.AddedBy, a.AddedAt);

    private static IResult NotFound(string attachmentId) => Problem.Of(404, "not-found", "Not found", $"There is no attachment '{attachmentId}'.");
}
