using System.Collections.Concurrent;

namespace Yishi.Benchmarks.WorkflowCore;

/// <summary>
/// Counts instances reaching a point of the workflow, once each, and completes a task when all have. It is how the
/// benchmark learns that WorkflowCore has finished without polling on a timer. Instances are counted by id because
/// WorkflowCore may run a step body more than once (retries, re-queued work), which must not finish a round early.
/// </summary>
internal sealed class InstanceProgress(int expected)
{
    private readonly ConcurrentDictionary<string, byte> _reached = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task All => _all.Task;

    public void Reached(string workflowId)
    {
        if (_reached.TryAdd(workflowId, 0) && _reached.Count == expected)
        {
            _all.TrySetResult();
        }
    }
}
