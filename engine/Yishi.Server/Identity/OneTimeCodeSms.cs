using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Notifications.Channels;
using Yishi.Engine.Notifications.Templates;
using Yishi.Server.Data;
using Yishi.Server.Notifications;

namespace Yishi.Server.Identity;

/// <summary>
/// Sends a code by SMS, worded by the shipped <c>auth/code</c> template, at once rather than through the delivery
/// outbox: the person is waiting for it, and a code that cannot be sent now should fail now, not arrive stale.
/// </summary>
internal sealed class OneTimeCodeSms(IEnumerable<ISmsGateway> gateways, TemplateCatalog templates, TemplateRenderer renderer, TimeProvider clock)
{
    public const string TemplateKey = "auth/code";

    private readonly ISmsGateway? _gateway = gateways.FirstOrDefault();

    /// <summary>Whether an SMS gateway is configured (<c>Yishi:Sms:Url</c>).</summary>
    public bool Available => _gateway is not null;

    /// <summary>Sends the code; the message's idempotency key is <c>otp:&lt;code id&gt;</c>.</summary>
    public async Task<SendOutcome> SendAsync(OneTimeCode row, string code, string phone, YishiUser user, string? locale, TimeSpan lifetime,
        CancellationToken cancellationToken = default)
    {
        if (_gateway is null)
        {
            return new SendOutcome.Failed("no SMS gateway is configured");
        }

        var pinned = await templates.LatestAsync(TemplateKey, locale ?? user.PreferredLocale, cancellationToken);
        if (pinned is null)
        {
            return new SendOutcome.Failed($"the {TemplateKey} template is missing");
        }

        var minutes = (int)Math.Ceiling(lifetime.TotalMinutes);
        var data = new TemplateData(new JsonObject { ["code"] = code, ["minutes"] = minutes }, clock.GetUtcNow());
        var rendered = renderer.Render(pinned.Template, renderer.Scope(data), new TemplateRecipient(user.DisplayName, pinned.Locale), [TemplateParts.Sms, TemplateParts.SmsParams]);
        if (rendered.Error is { } error)
        {
            // Only where: the error's message may quote a value, and the code is one.
            return new SendOutcome.Failed(string.Create(CultureInfo.InvariantCulture, $"the {TemplateKey} template ({pinned.Locale}) does not render, at line {error.Line}"));
        }

        var parameters = rendered[TemplateParts.SmsParams] is { } lines
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(DeliveryFactory.ParamsJson(lines)) ?? []
            : [];
        return await _gateway.SendAsync(new SmsMessage("otp:" + row.Id, phone, rendered[TemplateParts.Sms], pinned.Template.Meta.SmsCode, parameters), cancellationToken);
    }
}
