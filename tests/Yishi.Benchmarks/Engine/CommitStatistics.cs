using System.Diagnostics.Metrics;
using Yishi.Engine.Runtime;

namespace Yishi.Benchmarks.Engine;

/// <summary>Listens to the engine's commit metrics during a round: how many batches, how large, how long they took.</summary>
internal sealed class CommitStatistics : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _batches;
    private long _steps;
    private double _commitMs;

    public CommitStatistics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GroupCommitter.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, value, _, _) =>
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _steps, value);
        });
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (_listener)
            {
                _commitMs += value;
            }
        });
        _listener.Start();
    }

    public override string ToString() =>
        $"{_batches:N0} batches of {(double)_steps / Math.Max(1, _batches):N1} steps on average, {_commitMs / 1000:N2} s committing";

    public void Dispose() => _listener.Dispose();
}
