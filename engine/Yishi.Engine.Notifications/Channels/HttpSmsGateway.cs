using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Yishi.Engine.Notifications.Channels;

/// <summary>
/// Hands messages to an SMS provider's HTTP gateway as signed JSON (see <see cref="SmsGatewayOptions"/> for the
/// settings). The idempotency key travels as the message id, so a retry after a lost answer is dropped by the provider
/// and still reported as <see cref="SendOutcome.Sent"/>.
/// </summary>
/// <remarks>Takes its <see cref="HttpClient"/> from the caller, so it can be registered as a typed client of <c>IHttpClientFactory</c>.</remarks>
public sealed partial class HttpSmsGateway(HttpClient http, IOptions<SmsGatewayOptions> options, TimeProvider clock, ILogger<HttpSmsGateway> logger) : ISmsGateway
{
    /// <inheritdoc />
    public async Task<SendOutcome> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = options.Value;
        var key = message.IdempotencyKey;
        var phone = Yishi.Engine.Privacy.Masking.Phone(message.Phone)!;

        // Refusals found before sending are final: retrying cannot add a template code or fix the configuration, and the
        // dead-letter list is where an operator can resend once it is fixed.
        var (templateForm, problem) = Check(settings, message);
        if (problem is not null)
        {
            LogNotSent(logger, key, phone, problem);
            return new SendOutcome.Failed(problem);
        }

        var body = SmsGatewayRequest.Body(message, settings.SignName, templateForm);
        using var request = SmsGatewayRequest.Signed(settings.Url!, settings.KeyId, settings.Secret, key, body, clock.GetUtcNow());
        using var timeout = new CancellationTokenSource(settings.Timeout, clock);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var answer = await SmsGatewayAnswer.ReadBodyAsync(response.Content, attempt.Token);
            var outcome = SmsGatewayAnswer.ToOutcome(response, answer, clock.GetUtcNow());
            Log(outcome, (int)response.StatusCode, key, phone);
            return outcome;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our timeout (or HttpClient.Timeout), not the caller's cancellation. The provider may have accepted the
            // message all the same; the retry carries the same id, so it is not delivered twice.
            LogTimedOut(logger, key, phone, settings.Timeout);
            return new SendOutcome.Retry($"no answer within {settings.Timeout}");
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            LogUnreachable(logger, key, phone, exception);
            return new SendOutcome.Retry($"gateway unreachable: {exception.Message}");
        }
    }

    private static (bool TemplateForm, string? Problem) Check(SmsGatewayOptions settings, SmsMessage message)
    {
        if (settings.Url is null)
        {
            return (false, "SMS gateway URL is not configured");
        }

        if (!SmsGatewayRequest.IsHeaderToken(settings.KeyId) || settings.Secret.Length == 0)
        {
            return (false, "SMS gateway key id or secret is not configured");
        }

        // Header values must be ASCII; otherwise every attempt would fail in the HTTP stack and be retried forever.
        if (!SmsGatewayRequest.IsHeaderToken(message.IdempotencyKey))
        {
            return (false, "idempotency key must be printable ASCII without spaces");
        }

        var hasTemplate = !string.IsNullOrEmpty(message.TemplateCode);
        var hasText = !string.IsNullOrEmpty(message.Text);
        return settings.Form switch
        {
            SmsForm.Template => hasTemplate ? (true, null) : (true, "no template code"),
            SmsForm.Text => hasText ? (false, null) : (false, "no text"),
            _ => hasTemplate ? (true, null) : hasText ? (false, null) : (false, "no text or template code"),
        };
    }

    private void Log(SendOutcome outcome, int status, string key, string phone)
    {
        switch (outcome)
        {
            case SendOutcome.Sent sent when status == 409:
                LogAcceptedBefore(logger, key, phone, sent.ProviderId);
                break;
            case SendOutcome.Sent sent:
                LogAccepted(logger, key, phone, sent.ProviderId);
                break;
            case SendOutcome.Retry retry:
                LogRetry(logger, key, phone, status, retry.After);
                break;
            case SendOutcome.Failed:
                // Not the provider's message: providers echo the number or the text back in their errors.
                LogRefused(logger, key, phone, status);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS {IdempotencyKey} to {MaskedPhone} accepted by the gateway as {ProviderId}")]
    private static partial void LogAccepted(ILogger logger, string idempotencyKey, string maskedPhone, string? providerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS {IdempotencyKey} to {MaskedPhone} was accepted before ({ProviderId}); the gateway dropped the repeat")]
    private static partial void LogAcceptedBefore(ILogger logger, string idempotencyKey, string maskedPhone, string? providerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS {IdempotencyKey} to {MaskedPhone} not accepted now (HTTP {Status}); retry after {RetryAfter}")]
    private static partial void LogRetry(ILogger logger, string idempotencyKey, string maskedPhone, int status, TimeSpan? retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS {IdempotencyKey} to {MaskedPhone} refused by the gateway (HTTP {Status})")]
    private static partial void LogRefused(ILogger logger, string idempotencyKey, string maskedPhone, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS {IdempotencyKey} to {MaskedPhone} not sent: {Problem}")]
    private static partial void LogNotSent(ILogger logger, string idempotencyKey, string maskedPhone, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS {IdempotencyKey} to {MaskedPhone}: no answer from the gateway within {Timeout}")]
    private static partial void LogTimedOut(ILogger logger, string idempotencyKey, string maskedPhone, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS {IdempotencyKey} to {MaskedPhone}: gateway unreachable")]
    private static partial void LogUnreachable(ILogger logger, string idempotencyKey, string maskedPhone, Exception exception);
}
