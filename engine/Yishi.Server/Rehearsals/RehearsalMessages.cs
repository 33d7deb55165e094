using System.Text.Json.Nodes;
using Yishi.Engine.Definitions;
using Yishi.Engine.Notifications.Templates;
using Yishi.Engine.Outbox;
using Yishi.Engine.Rehearsals;
using Yishi.Server.Notifications;

namespace Yishi.Server.Rehearsals;

/// <summary>
/// A message or document a rehearsal would have produced, rendered as its reader would see it. Nobody receives it:
/// the recipients are shown as the step names them (a role, the parties, the residents), not as people.
/// </summary>
/// <param name="Kind">notify, deadline or document.</param>
/// <param name="ActivityId">The step that asked for it.</param>
/// <param name="At">When, on the rehearsal's clock.</param>
/// <param name="Template">The template key.</param>
/// <param name="To">The recipients as the step names them.</param>
/// <param name="Title">The title (or an email's subject).</param>
/// <param name="Body">The text.</param>
/// <param name="Sms">The SMS text, if the template has one.</param>
/// <param name="Problem">Why it could not be rendered (no such template, a template error with its line and column).</param>
public sealed record RehearsalMessage(string Kind, string? ActivityId, DateTimeOffset At, string Template, JsonArray To, string? Title, string? Body, string? Sms, string? Problem);

/// <summary>
/// Renders what a rehearsal would have sent with the newest template versions (a draft has no publication time to pin
/// them by) and the rehearsal's own variables, the way the notification planner would for a real case.
/// </summary>
internal sealed class RehearsalMessages(TemplateCatalog templates, TemplateRenderer renderer, CaseTemplateData cases)
{
    public async Task<IReadOnlyList<RehearsalMessage>> RenderAsync(string rehearsalId, LocalizedText? workflow, RehearsalState state, string locale,
        CancellationToken cancellationToken)
    {
        var messages = new List<RehearsalMessage>(state.Messages.Length);
        foreach (var row in state.Messages)
        {
            messages.Add(await RenderAsync(rehearsalId, workflow, row, locale, cancellationToken));
        }

        return messages;
    }

    private async Task<RehearsalMessage> RenderAsync(string rehearsalId, LocalizedText? workflow, OutboxMessage row, string locale, CancellationToken cancellationToken)
    {
        var request = NotifyRequest.From(row);
        var kind = row.Kind switch
        {
            OutboxKinds.TaskDeadline => "deadline",
            OutboxKinds.Document => "document",
            _ => "notify",
        };
        var english = locale.StartsWith("en", StringComparison.Ordinal);
        if (await templates.LatestAsync(request.Template, locale, cancellationToken) is not { } pinned)
        {
            return new RehearsalMessage(kind, request.ActivityId, request.At, request.Template, request.To, null, null, null,
                english ? $"There is no template '{request.Template}'." : $"没有模板“{request.Template}”。");
        }

        var facts = new CaseFacts(rehearsalId, request.Scope, request.DefinitionId, null, workflow);
        var data = cases.For(facts, request.VariablesFor(pinned.Locale), request.At, pinned.Locale);
        var rendered = renderer.Render(pinned.Template, renderer.Scope(data, pinned.Template), new TemplateRecipient(english ? "Sample reader" : "示例收件人", pinned.Locale),
            TemplateParts.Rendered);
        return new RehearsalMessage(kind, request.ActivityId, request.At, request.Template, request.To,
            rendered[TemplateParts.Title] ?? rendered[TemplateParts.Subject], rendered[TemplateParts.Body] ?? rendered[TemplateParts.Text], rendered[TemplateParts.Sms],
            rendered.Error is { } error ? $"templates/{pinned.Key}/{pinned.Locale}.scriban{error}" : null);
    }
}
