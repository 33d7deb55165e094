using System.Text.Json;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Audit;

/// <summary>
/// Reading and checking the audit chain, for staff. Exports carry every entry with its hashes and the instant and
/// data exactly as hashed, so that someone outside Yishi can verify them (the encoding is described on <see cref="AuditChain"/>).
/// </summary>
internal static class AuditEndpoints
{
    public const int MaxPageSize = 1000;

    /// <summary>An entry as it is hashed: <c>at</c> in the canonical form and <c>data</c> as the exact JSON text.</summary>
    public sealed record AuditEntryView(long Sequence, string At, string Kind, string Subject, string Data, string PrevHash, string Hash)
    {
        public static AuditEntryView Of(AuditEntry e) => new(e.Sequence, AuditChain.FormatAt(e.At), e.Kind, e.Subject, e.Data, e.PrevHash, e.Hash);
    }

    /// <summary>A head; <c>anchor</c> is the text to keep and pass to verify later.</summary>
    public sealed record AuditHeadView(long Sequence, string Hash, string Anchor)
    {
        public static AuditHeadView? Of(AuditHead? head) => head is null ? null : new(head.Sequence, head.Hash, head.ToString());
    }

    public sealed record AuditVerificationView(bool Valid, long Entries, long? BrokenAt, string? Reason, AuditHeadView? Head);

    private static readonly JsonSerializerOptions Lines = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Policies.Staff);
        group.MapGet("/", ListAsync).WithName("ListAuditEntries")
            .WithSummary("Audit entries in sequence order from sequence `from` on, of one subject (e.g. consultation:o-1) or of all; at most `limit` (1000).")
            .Produces<IReadOnlyList<AuditEntryView>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/head", HeadAsync).WithName("GetAuditHead")
            .WithSummary("The newest entry as an anchor (sequence:hash) to keep and verify against later; 404 while the chain is empty.")
            .Produces<AuditHeadView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/verify", VerifyAsync).WithName("VerifyAudit")
            .WithSummary("Recomputes every hash and link of the chain; with anchor=sequence:hash also checks that entry is unchanged. Answers the first broken entry and why.")
            .Produces<AuditVerificationView>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/export", Export).WithName("ExportAudit")
            .WithSummary("The chain (or one subject's entries) as JSON Lines, each entry with its hashes, for verification outside Yishi.")
            .Produces<string>(StatusCodes.Status200OK, "application/x-ndjson")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> ListAsync(string? subject, long? from, int? limit, AuditLog audit, CancellationToken cancellationToken)
    {
        if (BadQuery(subject, from) is { } problem)
        {
            return problem;
        }

        var entries = new List<AuditEntryView>();
        await foreach (var entry in audit.ReadAsync(subject, from ?? 1, Math.Clamp(limit ?? 100, 1, MaxPageSize), cancellationToken))
        {
            entries.Add(AuditEntryView.Of(entry));
        }

        return TypedResults.Ok(entries);
    }

    private static async Task<IResult> HeadAsync(AuditLog audit, CancellationToken cancellationToken) =>
        AuditHeadView.Of(await audit.HeadAsync(cancellationToken)) is { } head
            ? TypedResults.Ok(head)
            : Problem.Of(404, "audit-empty", "The audit chain has no entries yet.");

    private static async Task<IResult> VerifyAsync(string? anchor, AuditLog audit, CancellationToken cancellationToken)
    {
        AuditHead? parsed = null;
        if (!string.IsNullOrEmpty(anchor) && (parsed = AuditHead.Parse(anchor)) is null)
        {
            return Problem.Of(400, "bad-anchor", "The anchor is not sequence:hash",
                "Pass the head as it was published, e.g. anchor=42:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 (a positive sequence, a colon, 64 hex digits).");
        }

        var result = await audit.VerifyAsync(parsed, cancellationToken);
        return TypedResults.Ok(new AuditVerificationView(result.Valid, result.Entries, result.BrokenAt, result.Reason, AuditHeadView.Of(result.Head)));
    }

    private static IResult Export(string? subject, AuditLog audit, CancellationToken cancellationToken)
    {
        if (BadQuery(subject, null) is { } problem)
        {
            return problem;
        }

        return TypedResults.Stream(async body =>
        {
            var newline = "\n"u8.ToArray();
            await foreach (var entry in audit.ReadAsync(subject, 1, null, cancellationToken))
            {
                await JsonSerializer.SerializeAsync(body, AuditEntryView.Of(entry), Lines, cancellationToken);
                await body.WriteAsync(newline, cancellationToken);
            }
        }, "application/x-ndjson", "audit.jsonl");
    }

    private static IResult? BadQuery(string? subject, long? from) =>
        subject is { Length: > AuditLog.MaxSubjectLength } ? Problem.Of(400, "bad-request", $"A subject has at most {AuditLog.MaxSubjectLength} characters.")
        : from < 1 ? Problem.Of(400, "bad-request", "'from' is a sequence number, 1 or more.")
        : null;
}
