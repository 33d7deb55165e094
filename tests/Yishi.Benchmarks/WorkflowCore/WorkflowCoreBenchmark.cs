using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;

namespace Yishi.Benchmarks.WorkflowCore;

/// <summary>
/// The baseline: WorkflowCore 3.22.0 with its default in-memory persistence. It writes nothing to disk, so it is
/// the most favourable setting WorkflowCore has; Yishi, committing to SQLite, is measured against that.
/// </summary>
internal static class WorkflowCoreBenchmark
{
    // A stuck round (an event lost, a step failing) must end with an error, not hang the suite.
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromMinutes(10);

    // Between checks that every instance is subscribed to its first event. This is only a polling interval
    // before the clock starts; it is never part of a measured figure.
    private static readonly TimeSpan SubscriptionPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Starts `instances` workflows, waits until each waits on its first event, then publishes e1 for all and e2 for
    /// all with `publishers` concurrent publishers; returns events per second from the first publish until every
    /// instance has run its last step.
    /// </summary>
    public static async Task<double> MeasureEventsPerSecondAsync(int instances, int publishers, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RoundTimeout);
        var token = timeout.Token;

        var arrived = new InstanceProgress(instances);
        var completed = new InstanceProgress(instances);
        var stepErrors = 0;

        var services = new ServiceCollection();
        // No logging provider is added, so nothing is printed; Warning keeps WorkflowCore from even building
        // its Information/Debug messages. Step failures are counted through OnStepError instead.
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddWorkflow();
        await using var provider = services.BuildServiceProvider();

        var host = provider.GetRequiredService<IWorkflowHost>();
        host.Registry.RegisterWorkflow(new TwoEventWorkflow(arrived, completed));
        host.OnStepError += (_, _, _) => Interlocked.Increment(ref stepErrors);
        await host.StartAsync(token);
        try
        {
            var keys = Enumerable.Range(0, instances).Select(i => $"instance-{i}").ToArray();
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = publishers, CancellationToken = token };

            await Parallel.ForEachAsync(keys, parallel, async (key, _) =>
                await host.StartWorkflow(TwoEventWorkflow.DefinitionId, 1, new TwoEventData { Key = key }, null));
            await arrived.All.WaitAsync(token);
            await WaitUntilSubscribedAsync(host.PersistenceStore, keys, token);

            // All e1 events first, then all e2: Parallel.ForEachAsync takes items in order. An e2 that lands before
            // its instance subscribes is kept by WorkflowCore and delivered when the subscription is made.
            var events = keys.Select(key => (Name: TwoEventWorkflow.FirstEvent, Key: key))
                .Concat(keys.Select(key => (Name: TwoEventWorkflow.SecondEvent, Key: key)));
            var stopwatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(events, parallel, async (evt, _) =>
                await host.PublishEvent(evt.Name, evt.Key, null, null));
            await completed.All.WaitAsync(token);
            stopwatch.Stop();

            if (stepErrors > 0)
            {
                throw new InvalidOperationException($"WorkflowCore reported {stepErrors} step errors; its figure would be meaningless.");
            }

            return 2.0 * instances / stopwatch.Elapsed.TotalSeconds;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"WorkflowCore did not finish {instances} instances within {RoundTimeout}.");
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The first step runs before WaitFor subscribes, so "arrived" is not yet "waiting". Asking the store for each
    /// instance's open subscription is the only public way to know; keys already seen are not asked again.
    /// </summary>
    private static async Task WaitUntilSubscribedAsync(IPersistenceProvider store, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var pending = new List<string>(keys);
        while (pending.Count > 0)
        {
            var stillPending = new List<string>();
            foreach (var key in pending)
            {
                var subscription = await store.GetFirstOpenSubscription(TwoEventWorkflow.FirstEvent, key, DateTime.MaxValue, cancellationToken);
                if (subscription is null)
                {
                    stillPending.Add(key);
                }
            }

            pending = stillPending;
            if (pending.Count > 0)
            {
                await Task.Delay(SubscriptionPollInterval, cancellationToken);
            }
        }
    }
}
