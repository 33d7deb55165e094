using System.Text.Json.Nodes;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;

namespace Yishi.Server.Ballots;

/// <summary>
/// Reminders to those who have not voted, asked for by staff. They go the way a Notify step's messages go — an
/// outbox row of the case that the notification pipeline plans, renders in each reader's language and sends once —
/// so a reminder never bypasses quiet hours, preferences, rate limits or the template pinned to the workflow version.
/// </summary>
internal sealed class BallotReminders(IWorkflowStore store, WorkflowRuntime runtime, TimeProvider clock)
{
    public const string Template = "ballot/closing-soon";

    public async Task QueueAsync(BallotRecord ballot, string askedBy, CancellationToken cancellationToken)
    {
        var instance = await runtime.FindInstanceAsync(ballot.InstanceId, cancellationToken);
        var variables = instance?.State.Variables.DeepClone().AsObject() ?? [];
        var title = JsonNode.Parse(ballot.Title);
        variables["ballot_title"] = title is JsonObject perLanguage ? perLanguage["zh-CN"]?.DeepClone() ?? perLanguage.FirstOrDefault().Value?.DeepClone() : title;
        variables["closes_at"] = ballot.ClosesAt;
        variables["secret"] = ballot.Secret;
        if (variables["paper_place"] is null)
        {
            variables["paper_place"] = "居（村）民委员会 / the committee office";
        }

        var now = clock.GetUtcNow();
        var payload = new JsonObject
        {
            ["template"] = Template,
            ["activityId"] = ballot.ActivityId,
            ["definitionId"] = ballot.DefinitionId,
            ["definitionVersion"] = ballot.DefinitionVersion,
            ["scope"] = instance?.Scope ?? ballot.OrgPath,
            ["actorId"] = askedBy,
            ["at"] = now,
            ["variables"] = variables,
            ["to"] = new JsonArray(new JsonObject { ["notVoted"] = ballot.ActivityId }),
        };
        // A fresh id per request: each reminder is its own message, sent once.
        var id = $"{ballot.InstanceId}-reminder-{ElectorateFreezer.RandomId()[..12]}";
        await store.CommitAsync([new WorkflowCommit { Outbox = [new OutboxMessage(id, ballot.InstanceId, OutboxKinds.Notify, payload, now)] }], cancellationToken);
    }
}
