using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Messages;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.Runtime;

public sealed partial class WorkflowRuntime
{
    /// <summary>
    /// Delivers a message to every instance waiting for it (by name and correlation key). When none waits yet,
    /// the message is kept for <see cref="WorkflowRuntimeOptions.EarlyMessageRetention"/> and delivered, once,
    /// to the first wait that appears. A sender with a <paramref name="scope"/> (an integrator's key for one
    /// community, say) reaches only waits inside it, now and later.
    /// </summary>
    public async Task<MessageResult> PublishMessageAsync(string name, string correlationKey, JsonObject? payload = null, string? scope = null,
        CancellationToken cancellationToken = default)
    {
        var input = new ResumeInput(null, payload);
        var delivered = await DeliverToWaitingAsync(name, correlationKey, scope, input, StepExtras.None, stopAfterFirst: false, cancellationToken);
        if (!delivered.IsEmpty)
        {
            return new MessageResult(delivered, null);
        }

        var now = _clock.GetUtcNow();
        var message = new PendingMessage(Guid.CreateVersion7(now).ToString("N"), name, correlationKey, payload?.DeepClone().AsObject(), now, now + _options.EarlyMessageRetention, scope);
        var stored = await _committer.CommitAsync(new WorkflowCommit { StoredMessages = [message] }, cancellationToken);
        if (!stored.Committed)
        {
            throw new InvalidOperationException("The message could not be stored.", stored.Error);
        }

        // A wait may have been committed between the first look and the store; whichever side looks second sees the other.
        var late = await DeliverToWaitingAsync(name, correlationKey, scope, input, StepExtras.None with { ConsumedMessageIds = [message.Id] }, stopAfterFirst: true, cancellationToken);
        return late.IsEmpty ? new MessageResult([], message.Id) : new MessageResult(late, null);
    }

    private async Task<ImmutableArray<string>> DeliverToWaitingAsync(string name, string correlationKey, string? scope, ResumeInput input, StepExtras extras, bool stopAfterFirst,
        CancellationToken cancellationToken)
    {
        var delivered = ImmutableArray.CreateBuilder<string>();
        var waiting = await _store.QueryBookmarksAsync(
            new BookmarkQuery { Kind = BookmarkKind.Message, MessageName = name, CorrelationKey = correlationKey, ScopePrefix = scope }, cancellationToken);
        foreach (var bookmark in waiting)
        {
            var result = await ResumeCoreAsync(bookmark.Id, input, Actor.System, extras, cancellationToken);
            if (result.Succeeded)
            {
                delivered.Add(bookmark.Id);
                if (stopAfterFirst)
                {
                    break;
                }
            }
        }

        return delivered.ToImmutable();
    }

    private async Task<bool> DeliverEarlyMessageAsync(Bookmark bookmark, CancellationToken cancellationToken)
    {
        var pending = await _store.FindPendingMessagesAsync(bookmark.MessageName!, bookmark.CorrelationKey!, _clock.GetUtcNow(), cancellationToken);
        foreach (var message in pending.Where(m => Actor.Contains(m.Scope, bookmark.Scope)))
        {
            var result = await ResumeCoreAsync(bookmark.Id, new ResumeInput(null, message.Payload), Actor.System,
                StepExtras.None with { ConsumedMessageIds = [message.Id] }, cancellationToken);
            // A refused message was taken by another wait; try the next. Anything else ends the attempt.
            if (result.Conflict != ConflictReason.MessageConsumed)
            {
                return result.Succeeded;
            }
        }

        return false;
    }

    /// <summary>Drops early messages whose retention ran out; returns how many. Hosts call it on a schedule.</summary>
    public ValueTask<int> PurgeExpiredMessagesAsync(CancellationToken cancellationToken = default) =>
        _store.PurgeExpiredMessagesAsync(_clock.GetUtcNow(), cancellationToken);

    /// <summary>
    /// Carries out engine outbox rows left from before a restart (children that finished while their parent
    /// was not resumed yet). Call at start-up and periodically; returns how many rows were handled.
    /// </summary>
    public async Task<int> DispatchOutboxAsync(CancellationToken cancellationToken = default)
    {
        var handled = 0;
        foreach (var row in await _store.ReadOutboxAsync(256, OutboxKinds.ResumeParent, cancellationToken))
        {
            await ResumeParentAsync(row, cancellationToken);
            handled++;
        }

        return handled;
    }

    private async Task<bool> ResumeParentAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        var bookmarkId = row.Payload["bookmarkId"]!.GetValue<string>();
        var outcome = row.Payload["outcome"]?.GetValue<string>();
        var input = new ResumeInput(outcome, new JsonObject { ["result"] = row.Payload["result"]?.DeepClone() });
        var result = await ResumeCoreAsync(bookmarkId, input, Actor.System, StepExtras.None with { CompletedOutboxIds = [row.Id] }, cancellationToken);
        if (result.Status == StepStatus.NotFound || result.Conflict == ConflictReason.BookmarkConsumed)
        {
            // The parent no longer waits (it was cancelled or ended another way): the row has nothing left to do.
            await _committer.CommitAsync(new WorkflowCommit { CompletedOutboxIds = [row.Id] }, cancellationToken);
        }

        return result.Succeeded;
    }
}
