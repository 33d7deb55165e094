namespace Yishi.Server.Tests.Support;

/// <summary>
/// The server's clock in tests about time: pinned where the test started, and moved only by <see cref="Advance"/>, so
/// "within a minute", "after ten days' notice" and "after the closing time" do not depend on how fast the test runs.
/// Timers still run on real time (the base class's), so the server's background loops keep going.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks = TimeProvider.System.GetUtcNow().UtcTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
}
