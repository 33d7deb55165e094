using System.Text.Json.Nodes;
using Yishi.Engine.Instances;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;

namespace Yishi.Server.Sessions;

/// <summary>
/// Tells a case's parties that a session was scheduled, moved or called off. The message goes the way a Notify step's
/// does — an outbox row of the case that the notification pipeline plans, renders in each reader's language and sends
/// once — so it keeps quiet hours, preferences and masking like every other message.
/// </summary>
internal sealed class SessionNotices(IWorkflowStore store)
{
    public const string ScheduledTemplate = "mediation/session-scheduled";
    public const string ChangedTemplate = "mediation/session-changed";

    /// <param name="instance">The case.</param>
    /// <param name="session">The session as it now stands.</param>
    /// <param name="previousStartsAt">When it was to begin before a change; null when it was just scheduled.</param>
    /// <param name="actorId">Who scheduled or changed it.</param>
    /// <param name="now">The server's time.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    public async Task QueueAsync(WorkflowInstance instance, CaseSession session, DateTimeOffset? previousStartsAt, string actorId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var variables = instance.State.Variables.DeepClone().AsObject();
        variables["session_kind"] = session.Kind;
        variables["session_at"] = session.StartsAt;
        variables["session_place"] = session.Place;
        variables["session_note"] = session.Note ?? "";
        variables["session_cancelled"] = session.Status == SessionRules.Cancelled;
        variables["cancel_reason"] = session.CancelReason ?? "";
        variables["previous_at"] = previousStartsAt;
        var payload = new JsonObject
        {
            ["template"] = session.Revision == 0 ? ScheduledTemplate : ChangedTemplate,
            ["activityId"] = null,
            ["definitionId"] = instance.DefinitionId,
            ["definitionVersion"] = instance.DefinitionVersion,
            ["scope"] = instance.Scope ?? session.Scope,
            ["actorId"] = actorId,
            ["at"] = now,
            ["variables"] = variables,
            ["to"] = new JsonArray(new JsonObject { ["parties"] = "*" }),
        };
        // One message per revision: a repeat of the same change is never told twice.
        var id = $"{instance.Id}-session-{session.Id}-{session.Revision}";
        await store.CommitAsync([new WorkflowCommit { Outbox = [new OutboxMessage(id, instance.Id, OutboxKinds.Notify, payload, now)] }], cancellationToken);
    }
}
