using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Yishi.Engine.Notifications.Channels;
using Yishi.Testing;

namespace Yishi.Engine.Notifications.Tests.Sms;

/// <summary>The adapter against a real local HTTP gateway: wire format, signature, idempotency and the answers it maps.</summary>
public sealed class HttpSmsGatewayTests : IAsyncLifetime
{
    private const string KeyId = "yishi-test";
    private const string Secret = "s3cret-for-tests";
    private const string Sign = "【幸福社区】";
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly HttpClient _http = new();
    private readonly RecordingLogger<HttpSmsGateway> _logger = new();
    private FakeSmsGateway _fake = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fake = await FakeSmsGateway.StartAsync(KeyId, Secret, _clock, Cancel);

    public async ValueTask DisposeAsync()
    {
        await _fake.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task Send_TextMessage_ArrivesInTextFormWithSign()
    {
        var message = TextMessage("k-text-1", "13800001234", "周六上午9点在社区活动室召开业主大会。");

        var outcome = await Gateway().SendAsync(message, Cancel);

        Assert.Equal(new SendOutcome.Sent("fake-1"), outcome);
        var delivered = Assert.Single(_fake.Delivered);
        Assert.Equal(("k-text-1", "13800001234", Sign, message.Text), (delivered.Id, delivered.To, delivered.Sign, delivered.Text));
        Assert.Equal(["id", "to", "sign", "text"], BodyMembers(Assert.Single(_fake.Requests)));
    }

    [Fact]
    public async Task Send_TemplateMessage_ArrivesInTemplateFormWithParams()
    {
        var message = TemplateMessage("k-template-1", "SMS_2025_0301", new() { ["name"] = "张阿姨", ["time"] = "周六 9:00" });

        var outcome = await Gateway().SendAsync(message, Cancel);

        Assert.IsType<SendOutcome.Sent>(outcome);
        var delivered = Assert.Single(_fake.Delivered);
        Assert.Equal("SMS_2025_0301", delivered.TemplateCode);
        Assert.Null(delivered.Text);
        Assert.Equal(message.Parameters, delivered.Params);
        Assert.Equal(["id", "to", "sign", "templateCode", "params"], BodyMembers(Assert.Single(_fake.Requests)));
    }

    [Fact]
    public async Task Send_TextFormConfigured_SendsTextEvenWithTemplateCode()
    {
        var message = TemplateMessage("k-both-1", "SMS_1", new() { ["name"] = "李" }) with { Text = "通知" };

        await Gateway(o => o with { Form = SmsForm.Text }).SendAsync(message, Cancel);

        Assert.Equal(("通知", (string?)null), (_fake.Delivered[0].Text, _fake.Delivered[0].TemplateCode));
    }

    [Fact]
    public async Task Send_TemplateFormWithoutTemplateCode_FailsWithoutCallingTheGateway()
    {
        var outcome = await Gateway(o => o with { Form = SmsForm.Template }).SendAsync(TextMessage("k-1", "13800001234", "通知"), Cancel);

        Assert.Equal(new SendOutcome.Failed("no template code"), outcome);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task Send_Always_SignsTimestampNonceAndBody()
    {
        await Gateway().SendAsync(TextMessage("k-sig-1", "13800001234", "通知"), Cancel);

        var request = Assert.Single(_fake.Requests);
        var (timestamp, nonce) = (request.Headers["X-Yishi-Timestamp"], request.Headers["X-Yishi-Nonce"]);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n{request.Body}"));
        Assert.Equal(Convert.ToHexStringLower(expected), request.Headers["X-Yishi-Signature"]);
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), timestamp);
        Assert.Equal((KeyId, "k-sig-1"), (request.Headers["X-Yishi-Key-Id"], request.Headers["Idempotency-Key"]));
    }

    [Fact]
    public async Task Send_TwoMessages_UseDifferentNonces()
    {
        var gateway = Gateway();

        await gateway.SendAsync(TextMessage("k-n-1", "13800001234", "一"), Cancel);
        await gateway.SendAsync(TextMessage("k-n-2", "13800001234", "二"), Cancel);

        Assert.NotEqual(_fake.Requests[0].Headers["X-Yishi-Nonce"], _fake.Requests[1].Headers["X-Yishi-Nonce"]);
    }

    [Fact]
    public async Task Send_WrongSecret_FailsWith401()
    {
        var outcome = await Gateway(o => o with { Secret = "not-the-secret" }).SendAsync(TextMessage("k-1", "13800001234", "通知"), Cancel);

        var failed = Assert.IsType<SendOutcome.Failed>(outcome);
        Assert.Equal("401 bad signature", failed.Reason);
        Assert.Empty(_fake.Delivered);
    }

    [Fact]
    public async Task Send_ClockSixMinutesAhead_FailsWith401()
    {
        var aheadClock = new FakeTimeProvider(Now.AddMinutes(6));

        var outcome = await Gateway(clock: aheadClock).SendAsync(TextMessage("k-1", "13800001234", "通知"), Cancel);

        Assert.Equal(new SendOutcome.Failed("401 timestamp out of range"), outcome);
    }

    [Fact]
    public async Task Send_SameKeyTwice_DeliversOnceAndReportsSentBothTimes()
    {
        var gateway = Gateway();
        var message = TextMessage("k-repeat-1", "13800001234", "通知");

        var first = await gateway.SendAsync(message, Cancel);
        var second = await gateway.SendAsync(message, Cancel);

        Assert.Equal(new SendOutcome.Sent("fake-1"), first);
        Assert.Equal(new SendOutcome.Sent("fake-1"), second);
        Assert.Single(_fake.Delivered);
        Assert.Equal([200, 409], _fake.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task Send_GatewayAnswers503_RetriesAndThenSends()
    {
        var gateway = Gateway();
        var message = TextMessage("k-503-1", "13800001234", "通知");
        _fake.FailNext(1, 503);

        var first = await gateway.SendAsync(message, Cancel);
        var second = await gateway.SendAsync(message, Cancel);

        Assert.Equal(new SendOutcome.Retry("503 fake failure"), first);
        Assert.IsType<SendOutcome.Sent>(second);
        Assert.Single(_fake.Delivered);
    }

    [Fact]
    public async Task Send_GatewayAnswers429WithRetryAfter_RetriesAfterThatLong()
    {
        _fake.FailNext(1, 429, TimeSpan.FromSeconds(7));

        var outcome = await Gateway().SendAsync(TextMessage("k-429-1", "13800001234", "通知"), Cancel);

        var retry = Assert.IsType<SendOutcome.Retry>(outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), retry.After);
    }

    [Fact]
    public async Task Send_GatewayGone_RetriesInsteadOfThrowing()
    {
        var gateway = Gateway();
        await _fake.DisposeAsync();

        var outcome = await gateway.SendAsync(TextMessage("k-gone-1", "13800001234", "通知"), Cancel);

        Assert.StartsWith("gateway unreachable", Assert.IsType<SendOutcome.Retry>(outcome).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_NoAnswerWithinTimeout_Retries()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fake.OnDelivered = async (_, aborted) =>
        {
            held.TrySetResult();
            await Task.Delay(Timeout.Infinite, aborted);
        };

        var sending = Gateway().SendAsync(TextMessage("k-slow-1", "13800001234", "通知"), Cancel);
        await held.Task.WaitAsync(Cancel);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var outcome = await sending;

        Assert.Equal(new SendOutcome.Retry("no answer within 00:00:10"), outcome);
        Assert.Single(_fake.Delivered);
    }

    [Fact]
    public async Task Send_CallerCancels_Throws()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fake.OnDelivered = async (_, aborted) =>
        {
            held.TrySetResult();
            await Task.Delay(Timeout.Infinite, aborted);
        };
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Cancel);

        var sending = Gateway().SendAsync(TextMessage("k-cancel-1", "13800001234", "通知"), caller.Token);
        await held.Task.WaitAsync(Cancel);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }

    [Fact]
    public async Task Send_AnyOutcome_LogsOnlyTheMaskedPhoneAndTheKey()
    {
        // 9765 is the hidden middle of the number: it must appear nowhere.
        const string Phone = "+86 138-9765-4321";
        var gateway = Gateway();
        var text = TextMessage("k-log-1", Phone, "王大爷您好，您的维修申请已受理。");
        var template = TemplateMessage("k-log-2", "SMS_9", new() { ["name"] = "王大爷", ["code"] = "482913" }) with { Phone = Phone };

        await gateway.SendAsync(text, Cancel);
        await gateway.SendAsync(text, Cancel);
        _fake.FailNext(1, 503);
        await gateway.SendAsync(template, Cancel);
        await Gateway(o => o with { Secret = "wrong" }).SendAsync(template, Cancel);
        await _fake.DisposeAsync();
        await gateway.SendAsync(template, Cancel);

        Assert.Equal(5, _logger.Entries.Count);
        Assert.All(_logger.Entries, entry =>
        {
            Assert.Contains("+86138****4321", entry, StringComparison.Ordinal);
            Assert.DoesNotContain("9765", entry, StringComparison.Ordinal);
            Assert.DoesNotContain("维修", entry, StringComparison.Ordinal);
            Assert.DoesNotContain("王大爷", entry, StringComparison.Ordinal);
            Assert.DoesNotContain("482913", entry, StringComparison.Ordinal);
        });
        Assert.Contains(_logger.Entries, entry => entry.Contains("k-log-1", StringComparison.Ordinal));
    }

    private HttpSmsGateway Gateway(Func<SmsGatewayOptions, SmsGatewayOptions>? change = null, TimeProvider? clock = null)
    {
        var options = new SmsGatewayOptions { Url = _fake.Url, KeyId = KeyId, Secret = Secret, SignName = Sign };
        return new HttpSmsGateway(_http, Options.Create(change?.Invoke(options) ?? options), clock ?? _clock, _logger);
    }

    private static SmsMessage TextMessage(string key, string phone, string text) => new(key, phone, text, null, new Dictionary<string, string>());

    private static SmsMessage TemplateMessage(string key, string templateCode, Dictionary<string, string> parameters) =>
        new(key, "13800001234", null, templateCode, parameters);

    private static string[] BodyMembers(FakeSmsRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        return [.. body.RootElement.EnumerateObject().Select(member => member.Name)];
    }
}
