using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Yishi.Engine.Notifications.Channels;

/// <summary>The signed JSON request <see cref="HttpSmsGateway"/> posts: the wire format a provider's adapter implements.</summary>
internal static class SmsGatewayRequest
{
    // Chinese text goes as UTF-8, not \uXXXX escapes: the body is signed as sent and read by the provider, never put into HTML.
    private static readonly JsonWriterOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON body in the text form or, with <paramref name="templateForm"/>, the template form.</summary>
    public static byte[] Body(SmsMessage message, string? signName, bool templateForm)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Json))
        {
            json.WriteStartObject();
            json.WriteString("id", message.IdempotencyKey);
            json.WriteString("to", message.Phone);
            json.WriteString("sign", signName);
            if (templateForm)
            {
                json.WriteString("templateCode", message.TemplateCode);
                json.WriteStartObject("params");
                foreach (var (name, value) in message.Parameters)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
            }
            else
            {
                json.WriteString("text", message.Text);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>A POST of <paramref name="body"/> with the idempotency key and the HMAC signature headers.</summary>
    public static HttpRequestMessage Signed(Uri url, string keyId, string secret, string idempotencyKey, byte[] body, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        request.Headers.Add("X-Yishi-Key-Id", keyId);
        request.Headers.Add("X-Yishi-Timestamp", timestamp);
        request.Headers.Add("X-Yishi-Nonce", nonce);
        request.Headers.Add("X-Yishi-Signature", Signature(secret, timestamp, nonce, body));
        return request;
    }

    /// <summary>Lower-case hex of HMAC-SHA256(secret, timestamp + "\n" + nonce + "\n" + body).</summary>
    public static string Signature(string secret, string timestamp, string nonce, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp + "\n" + nonce + "\n"));
        hmac.AppendData(body);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>Whether <paramref name="value"/> can go in a header as is: printable ASCII, no spaces.</summary>
    public static bool IsHeaderToken(string value) => value.Length > 0 && value.All(c => c is > ' ' and < '\u007F');
}
