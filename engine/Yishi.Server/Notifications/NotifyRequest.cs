using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Definitions;
using Yishi.Engine.Outbox;

namespace Yishi.Server.Notifications;

/// <summary>
/// What a message is, whichever engine outbox row asked for it: a Notify activity, or a task's deadline warning
/// (sent with the <c>task/deadline</c> template to the task's assignee or role, so staff get warnings on the
/// channels they chose, a daily digest included).
/// </summary>
/// <param name="Row">The outbox row; its id is part of every delivery's idempotency key.</param>
/// <param name="Template">The template key.</param>
/// <param name="ActivityId">The activity that asked.</param>
/// <param name="DefinitionId">The workflow, whose publication time picks the template version.</param>
/// <param name="DefinitionVersion">Its version.</param>
/// <param name="Scope">The case's org unit path.</param>
/// <param name="To">The recipients, as a Notify names them.</param>
/// <param name="Variables">The case's variables then (what the template reads).</param>
/// <param name="Localized">Variables whose value depends on the reader's language (a task's title).</param>
/// <param name="Channels">The channels allowed, or null for each person's preference.</param>
/// <param name="At">When it was asked for.</param>
internal sealed record NotifyRequest(OutboxMessage Row, string Template, string? ActivityId, string DefinitionId, int DefinitionVersion, string? Scope,
    JsonArray To, JsonObject Variables, IReadOnlyDictionary<string, LocalizedText> Localized, IReadOnlyList<string>? Channels, DateTimeOffset At)
{
    /// <summary>The template of deadline warnings.</summary>
    public const string DeadlineTemplate = "task/deadline";

    /// <summary>The outbox kinds that become messages.</summary>
    public static readonly IReadOnlyList<string> Kinds = [OutboxKinds.Notify, OutboxKinds.TaskDeadline];

    /// <summary>Reads a row of one of <see cref="Kinds"/>.</summary>
    public static NotifyRequest From(OutboxMessage row)
    {
        var payload = row.Payload;
        var at = payload["at"]?.GetValue<DateTimeOffset>() ?? row.CreatedAt;
        var definitionId = payload["definitionId"]?.GetValue<string>() ?? "";
        var version = payload["definitionVersion"]?.GetValue<int>() ?? 0;
        if (row.Kind == OutboxKinds.TaskDeadline)
        {
            var to = payload["userId"]?.GetValue<string>() is { } user ? new JsonObject { ["user"] = user } : new JsonObject { ["role"] = payload["role"]?.GetValue<string>() };
            var title = payload["title"]?.Deserialize<LocalizedText>() ?? LocalizedText.Invariant("");
            return new NotifyRequest(row, DeadlineTemplate, payload["activityId"]?.GetValue<string>(), definitionId, version, payload["scope"]?.GetValue<string>(), [to],
                new JsonObject { ["percent"] = payload["percent"]?.DeepClone(), ["due_at"] = payload["dueAt"]?.DeepClone() },
                new Dictionary<string, LocalizedText> { ["task_title"] = title }, null, row.CreatedAt);
        }

        return new NotifyRequest(row, payload["template"]!.GetValue<string>(), payload["activityId"]?.GetValue<string>(), definitionId, version,
            payload["scope"]?.GetValue<string>(), payload["to"] as JsonArray ?? [], payload["variables"] as JsonObject ?? [], new Dictionary<string, LocalizedText>(),
            payload["channels"] is JsonArray list ? [.. list.Select(c => c!.GetValue<string>())] : null, at);
    }

    /// <summary>The variables a reader of <paramref name="locale"/> sees.</summary>
    public JsonObject VariablesFor(string locale)
    {
        if (Localized.Count == 0)
        {
            return Variables;
        }

        var variables = Variables.DeepClone().AsObject();
        foreach (var (name, text) in Localized)
        {
            variables[name] = text.Get(locale);
        }

        return variables;
    }
}
