using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Server.Data;
using Yishi.Server.Problems;

namespace Yishi.Server.Idempotency;

/// <summary>
/// Honours <c>Idempotency-Key</c>: the first request with a key is carried out and its answer stored; a repeat
/// from the same caller gets that answer again instead of a second instance or a 409. A repeat that arrives while
/// the first is still running gets 409; the same key on another target gets 422. Answers of 500 and above are
/// not stored, so a failed request can be retried.
/// </summary>
internal sealed class IdempotencyFilter(IOptions<JsonOptions> json, TimeProvider clock) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return await next(context);
        }

        // The filter lives as long as its endpoint; the database context belongs to the request (and only to those with a key).
        var db = http.RequestServices.GetRequiredService<ServerDbContext>();

        if (key.Length > 200)
        {
            return Problem.Of(400, "bad-idempotency-key", "The Idempotency-Key is longer than 200 characters.");
        }

        var id = $"{http.User.FindFirstValue(ClaimTypes.NameIdentifier)}:{key}";
        var target = $"{http.Request.Method} {http.Request.Path}";
        var cancellationToken = http.RequestAborted;
        db.IdempotentRequests.Add(new IdempotentRequest { Id = id, Target = target, Body = "", CreatedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var first = await db.IdempotentRequests.AsNoTracking().FirstAsync(r => r.Id == id, cancellationToken);
            return first.Target != target ? Problem.Of(422, "idempotency-key-reused", "This Idempotency-Key was used for another request.")
                : first.StatusCode == 0 ? Problem.Of(409, "idempotent-request-in-progress", "The first request with this Idempotency-Key is still running.")
                : new Replay(first);
        }

        var row = await db.IdempotentRequests.FirstAsync(r => r.Id == id, cancellationToken);
        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            db.IdempotentRequests.Remove(row);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }

        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        if (status >= 500)
        {
            db.IdempotentRequests.Remove(row);
        }
        else
        {
            row.StatusCode = status;
            row.Body = result is IValueHttpResult { Value: { } value } ? JsonSerializer.Serialize(value, value.GetType(), json.Value.SerializerOptions) : "";
            // Created<T> is generic in its value; its Location is read without knowing T.
            row.Location = result?.GetType().GetProperty(nameof(Created.Location))?.GetValue(result) as string;
        }

        await db.SaveChangesAsync(CancellationToken.None);
        return result;
    }

    /// <summary>The stored first answer.</summary>
    private sealed class Replay(IdempotentRequest first) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = first.StatusCode;
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            if (first.Location is not null)
            {
                httpContext.Response.Headers.Location = first.Location;
            }

            if (first.Body.Length > 0)
            {
                httpContext.Response.ContentType = first.StatusCode >= 400 ? "application/problem+json" : "application/json";
                await httpContext.Response.WriteAsync(first.Body, httpContext.RequestAborted);
            }
        }
    }
}
