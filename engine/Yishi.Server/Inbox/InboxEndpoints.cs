using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Inbox;

/// <summary>The signed-in person's in-app messages.</summary>
internal static class InboxEndpoints
{
    public const int MaxPageSize = 100;

    public sealed record InboxItem(string Id, string Kind, string Title, string Body, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

    public static IEndpointRouteBuilder MapInboxEndpoints(this IEndpointRouteBuilder app)
    {
        var inbox = app.MapGroup("/api/inbox").WithTags("Inbox").RequireAuthorization(Policies.SignedIn);
        inbox.MapGet("/", ListAsync).WithName("ListInbox")
            .WithSummary("Your messages, newest first; unread=true for the unread only; before=<id> for the next page.")
            .Produces<IReadOnlyList<InboxItem>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        inbox.MapPost("/{id}/read", MarkReadAsync).WithName("MarkInboxItemRead")
            .WithSummary("Marks a message read (again is fine).")
            .Produces<InboxItem>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ListAsync(bool? unread, string? before, int? pageSize, ClaimsPrincipal user, ServerDbContext db, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var rows = db.Inbox.AsNoTracking().Where(m => m.UserId == userId);
        if (unread == true)
        {
            rows = rows.Where(m => m.ReadAt == null);
        }

        if (before is not null)
        {
            rows = rows.Where(m => m.Id.CompareTo(before) < 0);
        }

        var page = await rows.OrderByDescending(m => m.Id).Take(Math.Clamp(pageSize ?? 50, 1, MaxPageSize)).ToListAsync(cancellationToken);
        return TypedResults.Ok(page.Select(m => new InboxItem(m.Id, m.Kind, m.Title, m.Body, m.Link, m.CreatedAt, m.ReadAt)).ToList());
    }

    private static async Task<IResult> MarkReadAsync(string id, ClaimsPrincipal user, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var message = await db.Inbox.FirstOrDefaultAsync(m => m.Id == id && m.UserId == userId, cancellationToken);
        if (message is null)
        {
            return Problem.Of(404, "not-found", "Not found", $"There is no message '{id}' in your inbox.");
        }

        message.ReadAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new InboxItem(message.Id, message.Kind, message.Title, message.Body, message.Link, message.CreatedAt, message.ReadAt));
    }
}
