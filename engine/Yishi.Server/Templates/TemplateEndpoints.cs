using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Definitions;
using Yishi.Engine.Notifications.Channels;
using Yishi.Engine.Notifications.Templates;
using Yishi.Engine.Persistence;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Notifications;
using Yishi.Server.OrgUnits;
using Yishi.Server.Problems;
using Yishi.Server.Timers;

namespace Yishi.Server.Templates;

/// <summary>The message and document templates, for the people who write workflows: list, read, write a new version, preview.</summary>
internal static class TemplateEndpoints
{
    public sealed record TemplateRow(string Key, string Locale, int Version, string Source, string ContentHash, DateTimeOffset CreatedAt);

    public sealed record TemplateText(string Key, string Locale, int Version, string Source, string Text, DateTimeOffset CreatedAt);

    public sealed record TemplateWrite(string Key, string Locale, string Text);

    /// <summary>Preview a template given as <c>text</c>, or the newest version of <c>key</c> in <c>locale</c>.</summary>
    public sealed record PreviewRequest(string? Text, string? Key, string? Locale, JsonObject? SampleData, string? DefinitionId);

    public sealed record SmsLength(int Length, int Segments, bool Unicode);

    public sealed record Preview(string? Key, string Locale, int? Version, TemplateMeta Meta, IReadOnlyDictionary<string, string> Parts, SmsLength? Sms,
        IReadOnlyList<TemplateError> Warnings);

    public static IEndpointRouteBuilder MapTemplateEndpoints(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/api/templates").RequireAuthorization(Policies.Design).WithTags("Templates");
        templates.MapGet("/", ListAsync).WithName("ListTemplates")
            .WithSummary("Every template key and locale with its newest version.")
            .Produces<IReadOnlyList<TemplateRow>>();
        templates.MapGet("/text", ReadAsync).WithName("GetTemplate")
            .WithSummary("A template's text: ?key=mediation/accepted&locale=zh-CN, the newest version unless &version=N.")
            .Produces<TemplateText>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        templates.MapPost("/", WriteAsync).WithName("WriteTemplate")
            .WithSummary("Adds a new version of a template, written here. Running cases keep the versions their workflow was published with.")
            .Produces<TemplateText>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        templates.MapPost("/preview", PreviewAsync).WithName("PreviewTemplate")
            .WithSummary("Renders a template with sample data for every channel, or answers 422 with its errors by line and column.")
            .Produces<Preview>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
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

    private static async Task<IResult> ReadAsync(string key, string locale, int? version, ServerDbContext db, CancellationToken cancellationToken)
    {
        var rows = db.Templates.AsNoTracking().Where(t => t.Key == key && t.Locale == locale);
        var row = await (version is { } v ? rows.Where(t => t.Version == v) : rows.OrderByDescending(t => t.Version)).FirstOrDefaultAsync(cancellationToken);
        return row is null
            ? Problem.Of(404, "not-found", "Not found", $"There is no template '{key}' in '{locale}'{(version is null ? "" : $" version {version}")}.")
            : TypedResults.Ok(new TemplateText(row.Key, row.Locale, row.Version, row.Source, row.Text, row.CreatedAt));
    }

    private static async Task<IResult> WriteAsync(TemplateWrite request, ClaimsPrincipal user, ServerDbContext db, TemplateRenderer renderer, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!Engine.Activities.BuiltIn.TemplateKeys.IsValid(request.Key) || !ShippedTemplates.IsLocale(request.Locale))
        {
            return Problem.Of(400, "bad-request", "Bad key or locale", "The key is lower-case words separated by '/' (mediation/accepted); the locale is zh-CN, en…");
        }

        var template = renderer.Compile(request.Text ?? "");
        if (!template.IsValid)
        {
            return Problem.Template("Fix these and save again; nothing was saved.", template.Errors.Where(e => e.Severity == TemplateError.Error));
        }

        var latest = await db.Templates.Where(t => t.Key == request.Key && t.Locale == request.Locale).MaxAsync(t => (int?)t.Version, cancellationToken) ?? 0;
        var row = new TemplateVersion
        {
            Key = request.Key, Locale = request.Locale, Version = latest + 1, Text = request.Text!, ContentHash = template.Hash,
            Source = ShippedTemplates.Staff, CreatedAt = clock.GetUtcNow(),
        };
        db.Templates.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/templates/text?key={Uri.EscapeDataString(row.Key)}&locale={row.Locale}&version={row.Version}",
            new TemplateText(row.Key, row.Locale, row.Version, row.Source, row.Text, row.CreatedAt));
    }

    private static async Task<IResult> PreviewAsync(PreviewRequest request, ClaimsPrincipal user, TemplateCatalog catalog, TemplateRenderer renderer, OrgCalendars calendars,
        IWorkflowStore store, OrgScope scope, ServerDbContext db, CancellationToken cancellationToken)
    {
        var locale = request.Locale ?? "zh-CN";
        PinnedTemplate? pinned = null;
        if (request.Text is null)
        {
            if (request.Key is null)
            {
                return Problem.Of(400, "bad-request", "Nothing to preview", "Give the template's text, or its key and locale.");
            }

            pinned = await catalog.LatestAsync(request.Key, locale, cancellationToken);
            if (pinned is null)
            {
                return Problem.Of(404, "not-found", "Not found", $"There is no template '{request.Key}'.");
            }
        }

        var template = pinned?.Template ?? renderer.Compile(request.Text!);
        if (!template.IsValid)
        {
            return Problem.Template("The template does not parse.", template.Errors);
        }

        var warnings = template.Errors.ToList();
        if (request.DefinitionId is { } definitionId && await DeclaredAsync(store, scope, user, definitionId, cancellationToken) is { } declared)
        {
            warnings.AddRange(template.UndeclaredReads(declared, renderer.IsFunction));
        }

        var english = locale.StartsWith("en", StringComparison.Ordinal);
        var unit = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == user.OrgUnit(), cancellationToken);
        var data = new TemplateData(request.SampleData ?? template.Sample ?? [], DateTimeOffset.UtcNow)
        {
            Instance = new JsonObject { ["id"] = "preview", ["no"] = "2026-0001", ["workflow"] = english ? "Preview" : "预览" },
            Org = new JsonObject { ["id"] = user.OrgUnit(), ["name"] = english ? unit?.NameEn : unit?.Name },
            Links = new JsonObject { ["case"] = "https://yishi.example/me/cases/preview", ["inbox"] = "https://yishi.example/me/inbox", ["portal"] = "https://yishi.example/me" },
            Zone = calendars.Base.Zone,
            Calendar = calendars,
        };
        var rendered = renderer.Render(template, renderer.Scope(data), new TemplateRecipient(english ? "Zhang Lihua" : "张丽华", locale, Staff: false), TemplateParts.Rendered);
        if (rendered.Error is { } error)
        {
            return Problem.Template("The template failed while rendering the sample data.", [error]);
        }

        SmsLength? sms = null;
        if (rendered[TemplateParts.Sms] is { } text)
        {
            var (length, segments, unicode) = SmsText.Segments(text);
            sms = new SmsLength(length, segments, unicode);
        }

        return TypedResults.Ok(new Preview(pinned?.Key ?? request.Key, pinned?.Locale ?? locale, pinned?.Version, template.Meta, rendered.Parts, sms, warnings));
    }

    /// <summary>The variable names a definition declares (its newest version), if the caller may see it.</summary>
    private static async Task<IReadOnlySet<string>?> DeclaredAsync(IWorkflowStore store, OrgScope scope, ClaimsPrincipal user, string definitionId, CancellationToken cancellationToken)
    {
        if (!await scope.CanSeeDefinitionAsync(user, definitionId, cancellationToken))
        {
            return null;
        }

        var versions = await store.ListVersionsAsync(definitionId, cancellationToken);
        return versions.Count == 0 ? null : TemplateReferences.Declared(DefinitionParser.Parse(versions.MaxBy(v => v.Version)!.Json).Definition);
    }
}
