using System.Net;
using System.Text;
using System.Text.Json;

namespace Yishi.Engine.Notifications.Channels;

/// <summary>Reads the provider's answer into a <see cref="SendOutcome"/>.</summary>
internal static class SmsGatewayAnswer
{
    // A provider's answer is a few hundred bytes; a proxy's HTML error page need not be read whole.
    private const int MaxBodyBytes = 8 * 1024;
    private const int MaxReasonLength = 200;

    public static SendOutcome ToOutcome(HttpResponseMessage response, string body, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        return status switch
        {
            >= 200 and < 300 => new SendOutcome.Sent(Field(body, "messageId")),

            // The id was accepted before (an earlier attempt whose answer was lost): that is a success, not a failure.
            409 => new SendOutcome.Sent(Field(body, "messageId")),

            // 408 is the server giving up on a slow request, as transient as a 5xx.
            429 or 408 or >= 500 => new SendOutcome.Retry(Reason(status, response, body), RetryAfter(response, now)),
            _ => new SendOutcome.Failed(Reason(status, response, body)),
        };
    }

    public static async Task<string> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static string Reason(int status, HttpResponseMessage response, string body)
    {
        var message = Field(body, "error") ?? response.ReasonPhrase ?? ((HttpStatusCode)status).ToString();
        if (message.Length > MaxReasonLength)
        {
            // Cut before a lone high surrogate rather than store half a character.
            var cut = char.IsHighSurrogate(message[MaxReasonLength - 1]) ? MaxReasonLength - 1 : MaxReasonLength;
            message = message[..cut];
        }

        return $"{status} {message}";
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>A string (or number) member of a JSON object body; null for anything else, including a body that is not JSON.</summary>
    private static string? Field(string body, string name)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(name, out var value))
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.Object or JsonValueKind.Array => value.GetRawText(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
