namespace Yishi.Testing;

/// <summary>Waits for work a server does in the background (a dispatcher, a timer) to become visible, without fixed sleeps.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds; fails with the last value seen after <paramref name="timeout"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var last = default(T);
        try
        {
            while (true)
            {
                last = await probe();
                if (done(last))
                {
                    return last;
                }

                await Task.Delay(50, limit.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Still not there after {timeout.TotalSeconds:N0} s; last seen: {last}");
        }
    }

    /// <summary>The same for a condition with nothing to report.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken) =>
        UntilAsync(() => Task.FromResult(condition()), ok => ok, timeout, cancellationToken);
}
