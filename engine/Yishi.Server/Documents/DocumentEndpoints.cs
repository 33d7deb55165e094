using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Instances;
using Yishi.Server.Problems;

namespace Yishi.Server.Documents;

/// <summary>The documents a case produced: listed with the case, read as a print-ready page or a PDF, by whoever may see the case.</summary>
internal static class DocumentEndpoints
{
    public sealed record DocumentRow(string Id, string InstanceId, string ActivityId, string Title, string TemplateKey, int TemplateVersion, string Locale,
        bool HasPdf, string? PdfError, string GeneratedBy, DateTimeOffset CreatedAt);

    public static IEndpointRouteBuilder MapDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/instances/{id}/documents", ListAsync).RequireAuthorization(Policies.ReadInstances).WithTags("Documents").WithName("ListDocuments")
            .WithSummary("The documents of a case, oldest first.")
            .Produces<IReadOnlyList<DocumentRow>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/documents/{id}", PageAsync).RequireAuthorization(Policies.ReadInstances).WithTags("Documents").WithName("GetDocument")
            .WithSummary("The document as an HTML page with its print stylesheet.")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/documents/{id}/pdf", PdfAsync).RequireAuthorization(Policies.ReadInstances).WithTags("Documents").WithName("GetDocumentPdf")
            .WithSummary("The document as a PDF; 503 when it could not be printed here (the page can still be printed from the browser).")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> ListAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (!await MaySeeAsync(id, user, runtime, db, cancellationToken))
        {
            return NotFound("case", id);
        }

        var rows = await db.Documents.AsNoTracking().Where(d => d.InstanceId == id)
            .Select(d => new DocumentRow(d.Id, d.InstanceId, d.ActivityId, d.Title, d.TemplateKey, d.TemplateVersion, d.Locale, d.Pdf != null, d.PdfError, d.GeneratedBy, d.CreatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.OrderBy(r => r.Id, StringComparer.Ordinal).ToList());
    }

    private static async Task<IResult> PageAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken)
    {
        var document = await db.Documents.AsNoTracking().Where(d => d.Id == id).Select(d => new { d.InstanceId, d.Html }).FirstOrDefaultAsync(cancellationToken);
        return document is null || !await MaySeeAsync(document.InstanceId, user, runtime, db, cancellationToken)
            ? NotFound("document", id)
            : TypedResults.Content(document.Html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> PdfAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken)
    {
        var document = await db.Documents.AsNoTracking().Where(d => d.Id == id).Select(d => new { d.InstanceId, d.Title, d.Pdf, d.PdfError }).FirstOrDefaultAsync(cancellationToken);
        if (document is null || !await MaySeeAsync(document.InstanceId, user, runtime, db, cancellationToken))
        {
            return NotFound("document", id);
        }

        return document.Pdf is null
            ? Problem.Of(503, "no-pdf", "This document has no PDF", document.PdfError)
            : TypedResults.File(document.Pdf, "application/pdf", $"{id}.pdf");
    }

    private static async Task<bool> MaySeeAsync(string instanceId, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken) =>
        await runtime.FindInstanceAsync(instanceId, cancellationToken) is { } instance && await user.MaySeeAsync(instance, db, cancellationToken);

    private static IResult NotFound(string what, string id) => Problem.Of(404, "not-found", "Not found", $"There is no {what} '{id}'.");
}
