using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Notifications.Documents;
using Yishi.Engine.Notifications.Templates;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;
using Yishi.Server.Data;
using Yishi.Server.Notifications;

namespace Yishi.Server.Documents;

/// <summary>
/// Carries out the engine's Document rows: renders the pinned template version to a print-ready page, prints it to
/// PDF, and stores both with the case under the row's id (which the workflow already holds). A document that
/// exists is not made again, so a crash before the row is marked done changes nothing. When PDF printing is not
/// possible here (no Chromium), the page is stored with the reason and can still be printed from the browser.
/// </summary>
internal sealed partial class DocumentWriter(IWorkflowStore store, IServiceScopeFactory scopes, TemplateCatalog templates, TemplateRenderer renderer,
    IPdfPrinter printer, CaseTemplateData cases, TimeProvider clock, ILogger<DocumentWriter> logger)
{
    private const int Batch = 10;

    /// <summary>Writes the pending documents; answers how many rows it carried out.</summary>
    public async Task<int> WriteAsync(CancellationToken cancellationToken)
    {
        var rows = await store.ReadOutboxAsync(Batch, OutboxKinds.Document, cancellationToken);
        foreach (var row in rows)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
            if (!await db.Documents.AnyAsync(d => d.Id == row.Id, cancellationToken) && await RenderAsync(row, cancellationToken) is { } document)
            {
                db.Documents.Add(document);
                await db.SaveChangesAsync(cancellationToken);
            }

            await store.CommitAsync([new WorkflowCommit { CompletedOutboxIds = [row.Id] }], cancellationToken);
        }

        return rows.Count;
    }

    private async Task<CaseDocument?> RenderAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        var payload = row.Payload;
        var key = payload["template"]!.GetValue<string>();
        var locale = payload["locale"]?.GetValue<string>() ?? "zh-CN";
        var pinned = await templates.ForAsync(key, locale, payload["definitionId"]!.GetValue<string>(), payload["definitionVersion"]!.GetValue<int>(), cancellationToken);
        if (pinned is null)
        {
            LogNoTemplate(logger, row.Id, key);
            return null;
        }

        var definitionId = payload["definitionId"]!.GetValue<string>();
        var facts = await cases.FactsAsync(row.InstanceId, payload["scope"]?.GetValue<string>(), definitionId, payload["definitionVersion"]!.GetValue<int>(), cancellationToken);
        var data = cases.For(facts, payload["variables"] as JsonObject ?? [], payload["at"]?.GetValue<DateTimeOffset>() ?? row.CreatedAt, pinned.Locale);
        var rendered = renderer.Render(pinned.Template, renderer.Scope(data), new TemplateRecipient("", pinned.Locale, Staff: true), [TemplateParts.Title, TemplateParts.Html]);
        if (rendered.Error is { } error)
        {
            LogRenderFailed(logger, row.Id, key, error.Line, error.Column);
            return null;
        }

        var title = rendered[TemplateParts.Title] ?? key;
        var html = DocumentPage.Wrap(title, rendered[TemplateParts.Html] ?? "", pinned.Locale);
        var document = new CaseDocument
        {
            Id = row.Id,
            InstanceId = row.InstanceId,
            ActivityId = payload["activityId"]?.GetValue<string>() ?? "",
            TemplateKey = pinned.Key,
            TemplateVersion = pinned.Version,
            Locale = pinned.Locale,
            Title = title.Length <= 400 ? title : title[..400],
            Html = html,
            GeneratedBy = payload["actorId"]?.GetValue<string>() ?? "system",
            CreatedAt = clock.GetUtcNow(),
        };
        try
        {
            document.Pdf = await printer.PrintAsync(html, cancellationToken);
        }
        catch (Exception exception) when (exception is PdfPrinterUnavailableException or InvalidOperationException or TimeoutException)
        {
            document.PdfError = exception.Message.Length <= 500 ? exception.Message : exception.Message[..500];
            LogNoPdf(logger, row.Id, exception.GetType().Name);
        }

        return document;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Document {RowId} names template {Template}, which does not exist; no document made")]
    private static partial void LogNoTemplate(ILogger logger, string rowId, string template);

    [LoggerMessage(Level = LogLevel.Error, Message = "Document {RowId}: template {Template} failed at ({Line},{Column}); no document made")]
    private static partial void LogRenderFailed(ILogger logger, string rowId, string template, int line, int column);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Document {RowId} was stored without a PDF ({Reason}); its page can be printed from the browser")]
    private static partial void LogNoPdf(ILogger logger, string rowId, string reason);
}
