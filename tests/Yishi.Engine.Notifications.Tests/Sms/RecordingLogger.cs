using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Yishi.Engine.Notifications.Tests.Sms;

/// <summary>Keeps every log entry as one line: the message, its structured values and the exception, as a sink would see them.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
        _entries.Enqueue($"{logLevel}: {formatter(state, exception)} | {values} | {exception}");
    }
}
