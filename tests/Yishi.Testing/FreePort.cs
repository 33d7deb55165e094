using System.Net;
using System.Net.Sockets;

namespace Yishi.Testing;

/// <summary>A TCP port free at the moment of asking, for servers that must be told their port (an SMTP server started later).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
