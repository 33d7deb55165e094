using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Yishi.Engine.Notifications.Channels;

/// <summary>One email to one address.</summary>
/// <param name="IdempotencyKey">Stable per message; its hash becomes the Message-ID, so a resend after a crash is recognisably the same mail.</param>
/// <param name="To">The address.</param>
/// <param name="Subject">Subject line.</param>
/// <param name="Html">HTML body.</param>
/// <param name="Text">Plain-text body.</param>
public sealed record EmailMessage(string IdempotencyKey, string To, string Subject, string? Html, string Text);

/// <summary>The <c>Yishi:Email</c> settings: the SMTP server mail goes out through.</summary>
public sealed record EmailOptions
{
    /// <summary>SMTP host; without it email is off and email deliveries wait on the dead-letter list.</summary>
    public string? Host { get; init; }

    public int Port { get; init; } = 25;

    /// <summary><c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c> or <c>SslOnConnect</c>.</summary>
    public SecureSocketOptions Security { get; init; } = SecureSocketOptions.StartTlsWhenAvailable;

    public string? UserName { get; init; }

    public string? Password { get; init; }

    /// <summary>The sender, e.g. <c>议事 &lt;noreply@example.gov.cn&gt;</c>.</summary>
    public string From { get; init; } = "Yishi <noreply@localhost>";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Sends email over SMTP with MailKit. Errors come back as outcomes; nothing personal is logged.</summary>
public sealed partial class EmailSender(IOptions<EmailOptions> options, ILogger<EmailSender> logger)
{
    /// <summary>Whether an SMTP host is configured.</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(options.Value.Host);

    /// <summary>Sends one message.</summary>
    public async Task<SendOutcome> SendAsync(EmailMessage email, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!Configured)
        {
            return new SendOutcome.Retry("No SMTP server is configured (Yishi:Email:Host).");
        }

        MimeMessage message;
        try
        {
            message = Build(email, settings);
        }
        catch (ParseException)
        {
            return new SendOutcome.Failed("The address is not a valid email address.");
        }

        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, settings.Security, cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
            }

            var reply = await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            LogSent(logger, message.MessageId ?? "");
            return new SendOutcome.Sent(reply);
        }
        catch (SmtpCommandException exception) when (exception.ErrorCode is SmtpErrorCode.RecipientNotAccepted && (int)exception.StatusCode >= 500)
        {
            return new SendOutcome.Failed($"The mail server refused the recipient ({(int)exception.StatusCode}).");
        }
        catch (Exception exception) when (exception is SmtpCommandException or SmtpProtocolException or SocketException or IOException
                                              or ServiceNotConnectedException or AuthenticationException or TimeoutException)
        {
            // The server is down, busy or misconfigured: the message waits and is tried again with back-off.
            return new SendOutcome.Retry($"{exception.GetType().Name}: {Shorten(exception.Message)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome.Retry("The mail server did not answer in time.");
        }
    }

    /// <summary>The Message-ID of a message sent with this key: the same on every attempt.</summary>
    public static string MessageIdOf(string idempotencyKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32] + "@yishi";

    private static MimeMessage Build(EmailMessage email, EmailOptions settings)
    {
        var message = new MimeMessage { Subject = email.Subject, MessageId = MessageIdOf(email.IdempotencyKey) };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(email.To));
        var body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html };
        message.Body = body.ToMessageBody();
        return message;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200];

    [LoggerMessage(Level = LogLevel.Debug, Message = "Email {MessageId} handed to the SMTP server")]
    private static partial void LogSent(ILogger logger, string messageId);
}
