using System.Collections.Immutable;
using Yishi.Engine.Execution;
using Yishi.Engine.Messages;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.Runtime;

/// <summary>What a step consumes besides its own instance: a delivered early message, a carried-out outbox row, a stored message.</summary>
internal sealed record StepExtras(ImmutableArray<string> ConsumedMessageIds, ImmutableArray<string> CompletedOutboxIds, ImmutableArray<PendingMessage> StoredMessages)
{
    public static StepExtras None { get; } = new([], [], []);
}

/// <summary>Turns the sessions of one step into one commit.</summary>
internal static class StepCommits
{
    public static WorkflowCommit Build(IReadOnlyList<ExecutionSession> sessions, StepExtras extras)
    {
        var instances = ImmutableArray.CreateBuilder<InstanceWrite>(sessions.Count);
        foreach (var session in sessions)
        {
            var instance = session.Instance;
            instance.UpdatedAt = session.Now;
            instance.Version = session.ExpectedVersion + 1;
            // A resume reads a Waiting instance and usually leaves it Waiting; an instance the step creates has changed by definition.
            instances.Add(new InstanceWrite(instance, session.ExpectedVersion, session.ExpectedVersion == 0 || instance.Status != session.InitialStatus));
        }

        return new WorkflowCommit
        {
            Instances = instances.MoveToImmutable(),
            ConsumedBookmarkIds = [.. sessions.SelectMany(s => s.ConsumedBookmarkIds)],
            CreatedBookmarks = [.. sessions.SelectMany(s => s.CreatedBookmarks)],
            Journal = [.. sessions.SelectMany(s => s.Journal)],
            Outbox = [.. sessions.SelectMany(s => s.Outbox)],
            ConsumedMessageIds = extras.ConsumedMessageIds,
            CompletedOutboxIds = extras.CompletedOutboxIds,
            StoredMessages = extras.StoredMessages,
        };
    }
}
