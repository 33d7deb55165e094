namespace Yishi.Engine.Rehearsals;

/// <summary>A rehearsal's own time: it stands still until the designer moves it forward, never back.</summary>
public sealed class RehearsalClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>Moves the clock to <paramref name="at"/>, if that is later.</summary>
    public void MoveTo(DateTimeOffset at)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _ticks);
            if (at.UtcTicks <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _ticks, at.UtcTicks, current) != current);
    }
}
