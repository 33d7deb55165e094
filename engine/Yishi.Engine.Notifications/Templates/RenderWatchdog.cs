namespace Yishi.Engine.Notifications.Templates;

/// <summary>
/// The time limit of renderings without a timer per rendering: each thread keeps one cancellation source and marks
/// when its rendering started; one timer checks the running renderings a few times a second and cancels those past
/// the limit. A timer per rendering cost a sixth of the rendering time in the notify benchmark's profile.
/// </summary>
internal sealed class RenderWatchdog : IDisposable
{
    private readonly TimeSpan _limit;
    private readonly TimeProvider _clock;
    private readonly ITimer _timer;
    private readonly List<Slot> _slots = [];
    private readonly ThreadLocal<Slot> _slot;

    public RenderWatchdog(TimeSpan limit, TimeProvider clock)
    {
        _limit = limit;
        _clock = clock;
        _slot = new ThreadLocal<Slot>(() =>
        {
            var slot = new Slot();
            lock (_slots)
            {
                _slots.Add(slot);
            }

            return slot;
        });
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 10, limit.Ticks / 5));
        _timer = clock.CreateTimer(_ => Check(), null, period, period);
    }

    /// <summary>Starts the clock for the calling thread's rendering; the token is cancelled if it runs past the limit.</summary>
    public CancellationToken Start()
    {
        var slot = _slot.Value!;
        if (slot.Source.IsCancellationRequested)
        {
            // The last rendering on this thread ran out of time: its source is spent.
            slot.Source.Dispose();
            slot.Source = new CancellationTokenSource();
        }

        Volatile.Write(ref slot.StartedAt, _clock.GetTimestamp());
        return slot.Source.Token;
    }

    /// <summary>Stops the clock for the calling thread.</summary>
    public void Stop() => Volatile.Write(ref _slot.Value!.StartedAt, 0);

    private void Check()
    {
        lock (_slots)
        {
            foreach (var slot in _slots)
            {
                var started = Volatile.Read(ref slot.StartedAt);
                if (started != 0 && _clock.GetElapsedTime(started) > _limit)
                {
                    try
                    {
                        slot.Source.Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // The thread replaced its spent source meanwhile: nothing left to stop.
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _slot.Dispose();
        lock (_slots)
        {
            foreach (var slot in _slots)
            {
                slot.Dispose();
            }
        }
    }

    private sealed class Slot : IDisposable
    {
        public long StartedAt;

        public CancellationTokenSource Source = new();

        public void Dispose() => Source.Dispose();
    }
}
