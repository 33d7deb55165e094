using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Yishi.Engine.Notifications.Channels;

namespace Yishi.Engine.Notifications.Tests.Sms;

/// <summary>Answers a real provider may give that the fake gateway does not, and refusals made before sending.</summary>
public sealed class HttpSmsGatewayAnswerTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly SmsMessage Message = new("k-1", "13800001234", "通知", null, new Dictionary<string, string>());

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Send_LongProviderError_FailsWithItsFirst200Characters()
    {
        var error = new string('错', 250);

        var outcome = await SendAsync(Answer(HttpStatusCode.BadRequest, $$"""{"error":"{{error}}"}"""));

        Assert.Equal(new SendOutcome.Failed("400 " + error[..200]), outcome);
    }

    [Fact]
    public async Task Send_ErrorPageThatIsNotJson_FailsWithTheStatusText()
    {
        var outcome = await SendAsync(Answer(HttpStatusCode.Forbidden, "<html>forbidden</html>"));

        Assert.Equal(new SendOutcome.Failed("403 Forbidden"), outcome);
    }

    [Fact]
    public async Task Send_SuccessWithoutMessageId_IsSentWithoutProviderId()
    {
        Assert.Equal(new SendOutcome.Sent(null), await SendAsync(Answer(HttpStatusCode.Accepted, "")));
    }

    [Fact]
    public async Task Send_DuplicateWithoutBody_IsSent()
    {
        Assert.Equal(new SendOutcome.Sent(null), await SendAsync(Answer(HttpStatusCode.Conflict, "")));
    }

    [Fact]
    public async Task Send_RetryAfterAsDate_RetriesAfterTheTimeLeft()
    {
        var response = Answer(HttpStatusCode.ServiceUnavailable, "");
        response.Headers.RetryAfter = new(Now.AddSeconds(30));

        var outcome = await SendAsync(response);

        Assert.Equal(TimeSpan.FromSeconds(30), Assert.IsType<SendOutcome.Retry>(outcome).After);
    }

    [Fact]
    public async Task Send_NoUrl_FailsWithoutSending()
    {
        var handler = new StubHandler(Answer(HttpStatusCode.OK, ""));

        var outcome = await SendAsync(handler, new SmsGatewayOptions { KeyId = "k", Secret = "s" });

        Assert.Equal(new SendOutcome.Failed("SMS gateway URL is not configured"), outcome);
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task Send_NonAsciiIdempotencyKey_FailsWithoutSending()
    {
        var handler = new StubHandler(Answer(HttpStatusCode.OK, ""));
        using var http = new HttpClient(handler);
        var gateway = new HttpSmsGateway(http, Options.Create(Configured), new FakeTimeProvider(Now), NullLogger<HttpSmsGateway>.Instance);

        var outcome = await gateway.SendAsync(Message with { IdempotencyKey = "实例1:通知:张三" }, Cancel);

        Assert.IsType<SendOutcome.Failed>(outcome);
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public void Options_ToString_HidesTheSecret()
    {
        Assert.DoesNotContain("s3cret", Configured.ToString(), StringComparison.Ordinal);
    }

    private static SmsGatewayOptions Configured => new() { Url = new("http://sms.invalid/sms"), KeyId = "k", Secret = "s3cret" };

    private static HttpResponseMessage Answer(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static Task<SendOutcome> SendAsync(HttpResponseMessage response) => SendAsync(new StubHandler(response), Configured);

    private static async Task<SendOutcome> SendAsync(StubHandler handler, SmsGatewayOptions options)
    {
        using var http = new HttpClient(handler);
        var gateway = new HttpSmsGateway(http, Options.Create(options), new FakeTimeProvider(Now), NullLogger<HttpSmsGateway>.Instance);
        return await gateway.SendAsync(Message, Cancel);
    }

    private sealed class StubHandler(HttpResponseMessage response) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(response);
        }
    }
}
