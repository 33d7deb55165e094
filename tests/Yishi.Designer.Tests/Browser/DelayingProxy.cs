using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// A TCP proxy on loopback that holds every chunk for a fixed delay in each direction: a slow network between the
/// browser and the server, so the speed test can show that dragging does not wait for the server.
/// </summary>
public sealed class DelayingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly TimeSpan _oneWay;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public DelayingProxy(Uri target, TimeSpan oneWay)
    {
        _target = target;
        _oneWay = oneWay;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Address => new UriBuilder(_target) { Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.Uri;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            await Task.WhenAny(PumpAsync(client.GetStream(), server.GetStream(), linked.Token), PumpAsync(server.GetStream(), client.GetStream(), linked.Token));
            await linked.CancelAsync();
        }
    }

    /// <summary>Reads as data comes and writes each chunk once it has been held for the delay, in order.</summary>
    private async Task PumpAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var held = Channel.CreateUnbounded<(DateTime Due, byte[] Data)>();
        var writer = Task.Run(async () =>
        {
            await foreach (var (due, data) in held.Reader.ReadAllAsync(cancellationToken))
            {
                var wait = due - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                await to.WriteAsync(data, cancellationToken);
            }
        }, cancellationToken);
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await held.Writer.WriteAsync((DateTime.UtcNow + _oneWay, buffer[..read]), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The connection closed.
        }

        held.Writer.TryComplete();
        try
        {
            await writer;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The other side closed first.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
