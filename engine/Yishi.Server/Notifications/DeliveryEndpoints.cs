using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Notifications.Channels;
using Yishi.Engine.Privacy;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Notifications;

/// <summary>For admins: the messages that could not be delivered (the dead-letter list), and sending them again.</summary>
internal static class DeliveryEndpoints
{
    public const int MaxPageSize = 200;

    /// <summary>A delivery as admins see it: the address masked, the text not at all (it is personal correspondence).</summary>
    public sealed record DeliveryRow(string Id, string Channel, string Status, string Address, string TemplateKey, int TemplateVersion, string? InstanceId,
        int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? SentAt);

    public static IEndpointRouteBuilder MapDeliveryEndpoints(this IEndpointRouteBuilder app)
    {
        var deliveries = app.MapGroup("/api/admin/deliveries").RequireAuthorization(Policies.Admin).WithTags("Admin");
        deliveries.MapGet("/", ListAsync).WithName("ListDeliveries")
            .WithSummary("Notification deliveries, newest first; status=dead for the dead-letter list (also pending, sending, sent, digest).")
            .Produces<IReadOnlyList<DeliveryRow>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        deliveries.MapPost("/{id}/retry", RetryAsync).WithName("RetryDelivery")
            .WithSummary("Puts a dead delivery back in the queue, to be sent now under its original idempotency key.")
            .Produces<DeliveryRow>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> ListAsync(string? status, string? before, int? pageSize, ServerDbContext db, CancellationToken cancellationToken)
    {
        var rows = db.Deliveries.AsNoTracking().Where(d => d.Channel != ChannelNames.InApp);
        if (status is not null)
        {
            rows = rows.Where(d => d.Status == status);
        }

        if (before is not null)
        {
            rows = rows.Where(d => d.Id.CompareTo(before) < 0);
        }

        var page = await rows.OrderByDescending(d => d.Id).Take(Math.Clamp(pageSize ?? 50, 1, MaxPageSize)).ToListAsync(cancellationToken);
        return TypedResults.Ok(page.Select(Row).ToList());
    }

    private static async Task<IResult> RetryAsync(string id, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (delivery is null)
        {
            return Problem.Of(404, "not-found", "Not found", $"There is no delivery '{id}'.");
        }

        if (delivery.Status != DeliveryStatus.Dead)
        {
            return Problem.Of(409, "not-dead", "Only dead deliveries can be retried", $"The delivery is {delivery.Status}.");
        }

        delivery.Status = DeliveryStatus.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Row(delivery));
    }

    private static DeliveryRow Row(Delivery d) => new(d.Id, d.Channel, d.Status, MaskAddress(d.Channel, d.Address), d.TemplateKey, d.TemplateVersion, d.InstanceId,
        d.Attempts, d.LastError is null ? null : Masking.Scrub(d.LastError), DateTimeOffset.FromUnixTimeMilliseconds(d.CreatedAt),
        DateTimeOffset.FromUnixTimeMilliseconds(d.NextAttemptAt), d.SentAt is { } sent ? DateTimeOffset.FromUnixTimeMilliseconds(sent) : null);

    /// <summary><c>138****1234</c>, <c>z***@example.org</c>.</summary>
    public static string MaskAddress(string channel, string address) => channel switch
    {
        ChannelNames.Sms => Masking.Phone(address) ?? "",
        ChannelNames.Email => Masking.Email(address),
        _ => address,
    };
}
