namespace Yishi.Engine.Runtime;

/// <summary>
/// Fires timers when they fall due, and raises tasks' deadline warnings: sweeps the due ones in batches, then sleeps until the earliest open timer,
/// waking early when a step commits an earlier one and at least every <see cref="WorkflowRuntimeOptions.TimerPollInterval"/>
/// (timers committed by another process announce nothing here). Timers that fell due while nothing ran — the
/// server was down — are simply due at the first sweep and fire then, once, earliest first.
/// </summary>
public sealed class TimerSweeper
{
    private readonly WorkflowRuntime _runtime;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _poll;
    private readonly int _batch;
    private volatile TaskCompletionSource _wake = NewWake();
    private long _sleepingUntilTicks = long.MaxValue;

    /// <summary>A sweeper for one runtime.</summary>
    public TimerSweeper(WorkflowRuntime runtime, TimeProvider clock, TimeSpan pollInterval, int batchSize = 1000)
    {
        _runtime = runtime;
        _clock = clock;
        _poll = pollInterval;
        _batch = batchSize;
        runtime.TimerScheduled += due =>
        {
            if (due.UtcTicks < Volatile.Read(ref _sleepingUntilTicks))
            {
                _wake.TrySetResult();
            }
        };
    }

    /// <summary>Called with every sweep that fired something (benchmarks and tests watch lateness through it).</summary>
    public event Action<TimerSweep>? Swept;

    /// <summary>Called after a sweep raised deadline warnings (hosts then pass them on to people).</summary>
    public event Action? AlarmsRaised;

    /// <summary>Sweeps until cancelled; cancelling ends it quietly, also in the middle of a sweep.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SweepUntilCancelledAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is not a failure: what was committed stays committed, the rest is swept next time.
        }
    }

    private async Task SweepUntilCancelledAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // A new wake first, and any timer announced from now on trips it: one announced during the sweep
            // makes the sleep below end at once, so it is never lost.
            _wake = NewWake();
            Volatile.Write(ref _sleepingUntilTicks, long.MaxValue);
            var sweep = await _runtime.FireDueTimersAsync(_batch, cancellationToken);
            if (sweep.Fired.Count > 0)
            {
                Swept?.Invoke(sweep);
            }

            // Deadline warnings ride along: minutes matter for them, not milliseconds, so the poll interval is soon enough.
            if (await _runtime.RaiseDeadlineAlarmsAsync(_batch, cancellationToken) > 0)
            {
                AlarmsRaised?.Invoke();
            }

            if (sweep.More)
            {
                continue;
            }

            var now = _clock.GetUtcNow();
            var next = await _runtime.NextTimerDueAsync(cancellationToken);
            var until = next is { } due && due - now < _poll ? due : now + _poll;
            Volatile.Write(ref _sleepingUntilTicks, until.UtcTicks);
            if (until > now)
            {
                await Task.WhenAny(Task.Delay(until - now, _clock, cancellationToken), _wake.Task);
            }
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
