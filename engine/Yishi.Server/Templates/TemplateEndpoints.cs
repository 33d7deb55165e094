using Microsoft.EntityFrameworkCore;
using Yishi.Server.Data;
using Yishi.Server.Identity;

namespace Yishi.Server.Templates;

/// <summary>The message templates, for the people who write workflows.</summary>
internal static class TemplateEndpoints
{
    public sealed record TemplateRow(string Key, string Locale, int Version, string Source, string ContentHash, DateTimeOffset CreatedAt);

    public static IEndpointRouteBuilder MapTemplateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/templates", ListAsync).RequireAuthorization(Policies.Design).WithTags("Templates").WithName("ListTemplates")
            .WithSummary("Every template key and locale with its newest version.")
            .Produces<IReadOnlyList<TemplateRow>>();
        return app;
    }

    private static async Task<IResult> ListAsync(ServerDbContext db, CancellationToken cancellationToken)
    {
        // Few rows (tens of keys × locales × versions): the newest per key and locale is picked here.
        var rows = await db.Templates.AsNoTracking()
            .Select(t => new TemplateRow(t.Key, t.Locale, t.Version, t.Source, t.ContentHash, t.CreatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.GroupBy(r => (r.Key, r.Locale)).Select(g => g.MaxBy(r => r.Version)!)
            .OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Locale, StringComparer.Ordinal).ToList());
    }
}
