namespace Yishi.Server.Tests.Consultations;

/// <summary>
/// The server's clock in the consultation scenarios: pinned where the test started and moved only by <see cref="Advance"/>,
/// so "its closing time has passed" does not depend on how fast the test runs. Timers still run on real time (the base
/// class's), so the server's loops keep polling.
/// </summary>
public sealed class ConsultationClock : TimeProvider
{
    private long _ticks = TimeProvider.System.GetUtcNow().UtcTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
}
