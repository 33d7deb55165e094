using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.Runtime;

/// <summary>
/// Lets concurrent steps share transactions. SQLite has one writer and every durable commit costs an fsync, so
/// committing the steps that arrive together as one batch multiplies throughput; each caller still awaits
/// its own outcome, and the store isolates items so one failing step never fails its neighbours.
/// </summary>
public sealed class GroupCommitter : IAsyncDisposable
{
    /// <summary>The meter the engine reports on (batch sizes and commit times), for dashboards and the benchmark.</summary>
    public const string MeterName = "Yishi.Engine";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("yishi.commit.batch_size", "{step}", "Steps committed in one transaction.");
    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("yishi.commit.duration", "ms", "Time to write and commit one batch.");

    private readonly IStepStore _store;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Task[] _writers;

    /// <summary>Starts <paramref name="writers"/> commit loops (1 for SQLite; a few for server databases).</summary>
    public GroupCommitter(IStepStore store, int maxBatch = 256, int writers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _store = store;
        _maxBatch = maxBatch;
        _writers = [.. Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync))];
    }

    /// <summary>Queues a commit and waits until it is durable (or refused).</summary>
    public Task<CommitOutcome> CommitAsync(WorkflowCommit commit, CancellationToken cancellationToken = default)
    {
        // The commit is not cancellable once queued: a caller who stops waiting must not make the outcome unknown to others.
        var pending = new Pending(commit, new TaskCompletionSource<CommitOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        var commits = new List<WorkflowCommit>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            commits.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
                commits.Add(item.Commit);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var started = Stopwatch.GetTimestamp();
                var outcomes = await _store.CommitAsync(commits, CancellationToken.None);
                CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                BatchSize.Record(batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(outcomes[i]);
                }
            }
#pragma warning disable CA1031 // Whatever broke the batch (a deadlock, a full disk) is reported to each caller, not thrown into the loop.
            catch (Exception) when (batch.Count > 1)
            {
                // Something poisoned the shared transaction; commit one by one so only the guilty item fails.
                foreach (var item in batch)
                {
                    try
                    {
                        var outcome = await _store.CommitAsync([item.Commit], CancellationToken.None);
                        item.Completion.TrySetResult(outcome[0]);
                    }
                    catch (Exception single)
                    {
                        item.Completion.TrySetResult(CommitOutcome.Failed(single));
                    }
                }
            }
            catch (Exception exception)
            {
                batch[0].Completion.TrySetResult(CommitOutcome.Failed(exception));
            }
#pragma warning restore CA1031
        }
    }

    /// <summary>Stops accepting commits and finishes the queued ones.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private sealed record Pending(WorkflowCommit Commit, TaskCompletionSource<CommitOutcome> Completion);
}
