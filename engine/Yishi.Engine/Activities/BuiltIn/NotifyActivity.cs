using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Definitions;
using Yishi.Engine.Outbox;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>
/// Tells people something: the host renders the template in each recipient's language and sends it on the channels
/// they prefer and can receive (in-app, SMS, email). The step only writes an outbox row with the recipients and a
/// copy of the variables, committed with the step, so a crash never loses the message and never sends it twice;
/// the case moves on at once.
/// </summary>
public sealed class NotifyActivity : Activity
{
    /// <summary>The type name.</summary>
    public const string TypeName = "Notify";

    /// <summary>
    /// How recipients are named: a role (its holders in the case's org unit and the units above), a user id, a
    /// variable holding user ids or contacts (<c>{"name", "phone", "email", "locale"}</c>), a Ballot activity's
    /// electorate (<c>{"electorate": "vote"}</c>) or those of it who have not voted yet (<c>{"notVoted": "vote"}</c>),
    /// or the case's parties in a role (<c>{"parties": "applicant"}</c>) or all of them (<c>{"parties": "*"}</c>): those
    /// with an account as users, the others by their phone; the residents of the case's org unit and the units below it
    /// (<c>{"residents": "*"}</c>: a public notice); or the residents who took part in a Consultation activity
    /// (<c>{"participants": "consult"}</c>: feedback to those who gave an opinion or a score). The host resolves each
    /// kind when the message is sent.
    /// </summary>
    public static readonly ImmutableArray<string> RecipientKinds = ["role", "user", "variable", "electorate", "notVoted", "parties", "residents", "participants"];

    /// <summary>The value of <c>{"residents": …}</c>: every resident of the case's org unit and the units below it.</summary>
    public const string AllResidents = "*";

    /// <summary>The value of <c>{"parties": …}</c> that names every party of the case, whatever their role.</summary>
    public const string AllParties = "*";

    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new(TypeName, ActivityCategories.Messages,
        LocalizedText.Of("发送通知", "Notify"),
        LocalizedText.Of("按模板给人发送站内信、短信或邮件，用收件人的语言，按其偏好的渠道。", "Sends a message from a template, in each recipient's language, on the channels they prefer: in-app, SMS or email."))
    {
        Properties =
        [
            new("template", PropertyKind.Text, LocalizedText.Of("模板", "Template"))
            {
                Required = true,
                UiHint = "template-picker",
                Description = LocalizedText.Of("模板的键，例如 mediation/accepted。", "The template's key, e.g. mediation/accepted."),
            },
            new("to", PropertyKind.Json, LocalizedText.Of("收件人", "Recipients"))
            {
                Required = true,
                UiHint = "recipient-picker",
                Description = LocalizedText.Of("列表，每项为 {\"role\": \"mediator\"}、{\"user\": \"用户编号\"}、{\"variable\": \"变量名\"}、{\"electorate\": \"表决步骤编号\"}（全体选民）、{\"notVoted\": \"表决步骤编号\"}（尚未投票的人）或 {\"parties\": \"applicant\"}（案件中该角色的当事人，\"*\" 为全部当事人；没有账号的当事人发短信）。",
                    "A list; each item is {\"role\": \"mediator\"}, {\"user\": \"user id\"}, {\"variable\": \"variable name\"}, {\"electorate\": \"ballot step id\"} (everyone on its roll), {\"notVoted\": \"ballot step id\"} (those who have not voted yet) or {\"parties\": \"applicant\"} (the case's parties in that role, \"*\" for all of them; those without an account get an SMS)."),
            },
            new("channels", PropertyKind.StringList, LocalizedText.Of("渠道", "Channels"))
            {
                Description = LocalizedText.Of("只用这些渠道（inapp、sms、email）；不填则按收件人的偏好。", "Only these channels (inapp, sms, email); empty means each recipient's preference."),
            },
        ],
    };

    /// <inheritdoc />
    public override void Validate(ActivityValidationContext context)
    {
        if (context.Activity.Property("template") is { ValueKind: JsonValueKind.String } key && !TemplateKeys.IsValid(key.GetString()))
        {
            context.Error(ProblemCodes.InvalidProperty, "'template' must be a template key such as mediation/accepted (lower-case words separated by '/').", "template");
        }

        if (context.Activity.Property("channels") is { ValueKind: JsonValueKind.Array } channels)
        {
            foreach (var channel in channels.EnumerateArray().Select(c => c.GetString()).Where(c => c is not ("inapp" or "sms" or "email")))
            {
                context.Error(ProblemCodes.InvalidProperty, $"'{channel}' is not a channel; channels are inapp, sms and email.", "channels");
            }
        }

        if (context.Activity.Property("to") is not { } to)
        {
            return;
        }

        if (to.ValueKind != JsonValueKind.Array || to.GetArrayLength() == 0)
        {
            context.Error(ProblemCodes.InvalidProperty, "'to' must be a non-empty list of recipients, e.g. [{\"role\": \"mediator\"}].", "to");
            return;
        }

        var index = 0;
        foreach (var recipient in to.EnumerateArray())
        {
            CheckRecipient(context, recipient, $"/{index++}");
        }
    }

    private static void CheckRecipient(ActivityValidationContext context, JsonElement recipient, string inner)
    {
        var fields = recipient.ValueKind == JsonValueKind.Object ? recipient.EnumerateObject().ToList() : [];
        if (fields.Count != 1 || !RecipientKinds.Contains(fields[0].Name) || fields[0].Value.ValueKind != JsonValueKind.String || fields[0].Value.GetString()!.Length == 0)
        {
            context.Error(ProblemCodes.InvalidProperty,
                $"Each recipient is one of {string.Join(", ", RecipientKinds.Select(k => $"{{\"{k}\": \"…\"}}"))}.", "to", inner);
            return;
        }

        if (fields[0].Name == "variable" && !context.Variables.Contains(fields[0].Value.GetString()!))
        {
            context.Error(ProblemCodes.UnknownVariable, $"'{fields[0].Value.GetString()}' is not a declared variable.", "to", inner);
        }

        if (fields[0].Name == "parties" && !IsPartyRole(fields[0].Value.GetString()!))
        {
            context.Error(ProblemCodes.InvalidProperty,
                $"'{fields[0].Value.GetString()}' is not a party role: use \"{AllParties}\" for every party, or 1 to 32 lower-case letters or '-', e.g. applicant.", "to", inner);
        }

        if (fields[0].Name is "electorate" or "notVoted"
            && !context.Definition.Activities.Any(a => a.Id == fields[0].Value.GetString() && a.Type == BallotActivity.TypeName))
        {
            context.Error(ProblemCodes.InvalidProperty, $"'{fields[0].Value.GetString()}' is not the id of a Ballot activity in this workflow.", "to", inner);
        }

        if (fields[0].Name == "residents" && fields[0].Value.GetString() != AllResidents)
        {
            context.Error(ProblemCodes.InvalidProperty, $"Residents are named as {{\"residents\": \"{AllResidents}\"}}: every resident of the case's org unit and the units below it.", "to", inner);
        }

        if (fields[0].Name == "participants"
            && !context.Definition.Activities.Any(a => a.Id == fields[0].Value.GetString() && a.Type == ConsultationActivity.TypeName))
        {
            context.Error(ProblemCodes.InvalidProperty, $"'{fields[0].Value.GetString()}' is not the id of a Consultation activity in this workflow.", "to", inner);
        }
    }

    /// <summary>Party roles are written as the server links them: lower-case letters and '-', e.g. <c>applicant</c>.</summary>
    private static bool IsPartyRole(string role) =>
        role == AllParties || (role.Length <= 32 && role.All(c => c is (>= 'a' and <= 'z') or '-'));

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        // The payload carries a copy of the variables as they are now, so a variable's people are the ones it holds
        // at this step: later changes to it do not change who this message went to.
        var to = JsonNode.Parse(context.Property("to")!.Value.GetRawText())!.AsArray();
        context.Emit(OutboxKinds.Notify, Payload(context, to));
        return ActivityResult.Done();
    }

    /// <summary>What every host-side action on a Notify or Document needs: the template, the case, the variables then.</summary>
    internal static JsonObject Payload(ActivityContext context, JsonArray? to = null)
    {
        var payload = new JsonObject
        {
            ["template"] = context.StringProperty("template"),
            ["activityId"] = context.Activity.Id,
            ["definitionId"] = context.Instance.DefinitionId,
            ["definitionVersion"] = context.Instance.DefinitionVersion,
            ["scope"] = context.Instance.Scope,
            ["actorId"] = context.Actor.Id,
            ["at"] = context.Now,
            ["variables"] = context.Variables.DeepClone(),
        };
        if (to is not null)
        {
            payload["to"] = to;
        }

        if (context.Property("channels") is { ValueKind: JsonValueKind.Array } channels)
        {
            payload["channels"] = JsonNode.Parse(channels.GetRawText());
        }

        return payload;
    }
}
