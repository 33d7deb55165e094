using System.Text.Json.Nodes;
using Yishi.Engine.Execution;
using Yishi.Engine.Persistence;
using Yishi.Engine.Journal;

namespace Yishi.Engine.Runtime;

public sealed partial class WorkflowRuntime
{
    /// <summary>
    /// Writes a <see cref="JournalKind.CaseNoted"/> entry on a case: something the host did to it outside a step (an
    /// attachment added, the minutes of a session, a transfer to another unit). The entry takes the instance's next
    /// sequence number in a commit of its own, so the journal stays one ordered story of the case. <paramref name="data"/>
    /// names what happened (<c>{"what": "attachment", …}</c>) and holds no personal values.
    /// </summary>
    public async Task<StepResult> NoteAsync(string instanceId, string message, JsonObject data, Actor actor, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt <= _options.MaxConflictRetries; attempt++)
        {
            if (await _store.FindInstanceAsync(instanceId, cancellationToken) is not { } instance)
            {
                return StepResult.Fail(StepStatus.NotFound, $"There is no instance '{instanceId}'.");
            }

            var session = new ExecutionSession(instance, await GraphOfAsync(instance, cancellationToken), _clock.GetUtcNow(), actor, _services);
            session.Record(JournalKind.CaseNoted, message: message, data: data);
            var outcome = await _committer.CommitAsync(StepCommits.Build([session], StepExtras.None), cancellationToken);
            switch (outcome.Conflict)
            {
                case null when outcome.Committed:
                    return new StepResult(StepStatus.Succeeded) { InstanceId = instance.Id, InstanceStatus = instance.Status };
                case ConflictReason.InstanceChanged:
                    continue;
                default:
                    return StepResult.Fail(StepStatus.Failed, outcome.Error?.Message ?? "The note could not be saved.", instance.Id);
            }
        }

        return StepResult.Conflicted(ConflictReason.InstanceChanged, "The instance kept changing; try again.");
    }

    /// <summary>
    /// Hands a case to another org unit (转办): the instance and every task still open move to <paramref name="newScope"/>,
    /// so the receiving unit's staff find the tasks in their inboxes and the sending unit's no longer do. The journal
    /// records where from, where to and why. The host decides who else keeps reading the case.
    /// </summary>
    public async Task<StepResult> TransferAsync(string instanceId, string newScope, string reason, Actor actor, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt <= _options.MaxConflictRetries; attempt++)
        {
            if (await _store.FindInstanceAsync(instanceId, cancellationToken) is not { } instance)
            {
                return StepResult.Fail(StepStatus.NotFound, $"There is no instance '{instanceId}'.");
            }

            if (instance.Status is not (Instances.InstanceStatus.Waiting or Instances.InstanceStatus.Running or Instances.InstanceStatus.Faulted))
            {
                return StepResult.Fail(StepStatus.NotActive, $"The instance is {instance.Status.ToString().ToLowerInvariant()}: a finished case is not handed on.", instance.Id);
            }

            if (instance.Scope == newScope)
            {
                return StepResult.Fail(StepStatus.InvalidInput, "The case already belongs to that unit.", instance.Id);
            }

            var session = new ExecutionSession(instance, await GraphOfAsync(instance, cancellationToken), _clock.GetUtcNow(), actor, _services);
            session.Record(JournalKind.CaseNoted, message: reason,
                data: new JsonObject { ["what"] = "transfer", ["from"] = instance.Scope, ["to"] = newScope });
            var commit = StepCommits.Build([session], StepExtras.None) with { ScopeChanges = [new ScopeChange(instance.Id, newScope)] };
            var outcome = await _committer.CommitAsync(commit, cancellationToken);
            switch (outcome.Conflict)
            {
                case null when outcome.Committed:
                    return new StepResult(StepStatus.Succeeded) { InstanceId = instance.Id, InstanceStatus = instance.Status };
                case ConflictReason.InstanceChanged:
                    continue;
                default:
                    return StepResult.Fail(StepStatus.Failed, outcome.Error?.Message ?? "The transfer could not be saved.", instance.Id);
            }
        }

        return StepResult.Conflicted(ConflictReason.InstanceChanged, "The instance kept changing; try again.");
    }
}
