using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Yishi.Testing;

/// <summary>One message the fake gateway accepted.</summary>
public sealed record DeliveredSms(string Id, string To, string? Sign, string? Text, string? TemplateCode, IReadOnlyDictionary<string, string> Params, string MessageId);

/// <summary>One POST the fake gateway answered, repeats and refusals included.</summary>
public sealed record FakeSmsRequest(IReadOnlyDictionary<string, string> Headers, string Body, int Status);

/// <summary>
/// A local SMS provider speaking the protocol of <c>HttpSmsGateway</c>, on 127.0.0.1 at a port the system picks. It
/// checks the key id, the timestamp (±5 minutes of its clock) and the HMAC signature (401 otherwise), drops a repeated
/// <c>id</c> with 409, and records what it delivered. Start it with <see cref="StartAsync"/>; post to <see cref="Url"/>.
/// </summary>
public sealed class FakeSmsGateway : IAsyncDisposable
{
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    private readonly WebApplication _app;
    private readonly string _keyId;
    private readonly byte[] _secret;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private readonly List<DeliveredSms> _delivered = [];
    private readonly List<FakeSmsRequest> _requests = [];
    private int _failuresLeft;
    private int _failureStatus;
    private TimeSpan? _failureRetryAfter;

    private FakeSmsGateway(WebApplication app, string keyId, string secret, TimeProvider clock)
    {
        _app = app;
        _keyId = keyId;
        _secret = Encoding.UTF8.GetBytes(secret);
        _clock = clock;
    }

    /// <summary>Where to post messages (<c>http://127.0.0.1:port/sms</c>).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>
    /// Runs after a delivery is recorded and before the answer is written, e.g. to kill a process at the worst moment
    /// or to hold the answer back; its token fires when the client gives up.
    /// </summary>
    public Func<DeliveredSms, CancellationToken, Task>? OnDelivered { get; set; }

    /// <summary>The messages accepted, once each, in order.</summary>
    public IReadOnlyList<DeliveredSms> Delivered
    {
        get
        {
            lock (_lock)
            {
                return [.. _delivered];
            }
        }
    }

    /// <summary>Every POST, with the status it got.</summary>
    public IReadOnlyList<FakeSmsRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts a gateway that accepts requests signed with <paramref name="secret"/> under <paramref name="keyId"/>.</summary>
    public static async Task<FakeSmsGateway> StartAsync(string keyId, string secret, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var gateway = new FakeSmsGateway(app, keyId, secret, clock ?? TimeProvider.System);
        app.Run(gateway.HandleAsync);
        await app.StartAsync(cancellationToken);
        gateway.Url = new Uri(new Uri(app.Urls.Single()), "/sms");
        return gateway;
    }

    /// <summary>Answers the next <paramref name="count"/> requests with <paramref name="status"/> (e.g. 503), before any check.</summary>
    public void FailNext(int count, int status, TimeSpan? retryAfter = null)
    {
        lock (_lock)
        {
            (_failuresLeft, _failureStatus, _failureRetryAfter) = (count, status, retryAfter);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A bounded stop: a hook still holding a request back must not hang the test run.
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != "/sms")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

        Answer answer;
        lock (_lock)
        {
            answer = Judge(headers, body);
            _requests.Add(new FakeSmsRequest(headers, Encoding.UTF8.GetString(body), answer.Status));
        }

        if (answer.Delivery is not null && OnDelivered is { } onDelivered)
        {
            await onDelivered(answer.Delivery, context.RequestAborted);
        }

        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsJsonAsync(answer.Json, context.RequestAborted);
    }

    // Called under _lock, so a repeat racing its original is seen as a repeat.
    private Answer Judge(Dictionary<string, string> headers, byte[] body)
    {
        if (_failuresLeft > 0)
        {
            _failuresLeft--;
            return new Answer(_failureStatus, Error("fake failure"), _failureRetryAfter);
        }

        if (Header(headers, "X-Yishi-Key-Id") != _keyId)
        {
            return new Answer(401, Error("unknown key id"));
        }

        var timestamp = Header(headers, "X-Yishi-Timestamp");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (DateTimeOffset.FromUnixTimeSeconds(seconds) - _clock.GetUtcNow()).Duration() > AllowedSkew)
        {
            return new Answer(401, Error("timestamp out of range"));
        }

        if (!SignatureMatches(timestamp!, Header(headers, "X-Yishi-Nonce") ?? "", Header(headers, "X-Yishi-Signature") ?? "", body))
        {
            return new Answer(401, Error("bad signature"));
        }

        if (Parse(body) is not { } message)
        {
            return new Answer(400, Error("body needs id, to, and text or templateCode"));
        }

        if (Header(headers, "Idempotency-Key") != message.Id)
        {
            return new Answer(400, Error("Idempotency-Key differs from id"));
        }

        if (_delivered.Find(d => d.Id == message.Id) is { } earlier)
        {
            return new Answer(409, new() { ["error"] = "duplicate id", ["messageId"] = earlier.MessageId });
        }

        var delivered = message with { MessageId = $"fake-{_delivered.Count + 1}" };
        _delivered.Add(delivered);
        return new Answer(200, new() { ["messageId"] = delivered.MessageId }, Delivery: delivered);
    }

    private bool SignatureMatches(string timestamp, string nonce, string signature, byte[] body)
    {
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n"), .. body];
        var expected = HMACSHA256.HashData(_secret, signed);
        try
        {
            return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(signature));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static DeliveredSms? Parse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var parameters = root.TryGetProperty("params", out var values) && values.ValueKind == JsonValueKind.Object
                ? values.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
                : [];
            var message = new DeliveredSms(Text("id") ?? "", Text("to") ?? "", Text("sign"), Text("text"), Text("templateCode"), parameters, "");
            return message.Id.Length > 0 && message.To.Length > 0 && (message.Text ?? message.TemplateCode) is not null ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Header(Dictionary<string, string> headers, string name) => headers.GetValueOrDefault(name);

    private static Dictionary<string, string> Error(string message) => new() { ["error"] = message };

    private sealed record Answer(int Status, Dictionary<string, string> Json, TimeSpan? RetryAfter = null, DeliveredSms? Delivery = null);
}
