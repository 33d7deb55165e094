using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Ballots;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Outbox;
using Yishi.Engine.Time;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>
/// A vote of the residents (村民会议, 居民会议, a representatives' assembly…). Running it gives notice: the host freezes
/// the electorate at that moment, opens voting when the notice period ends and closes it at the closing time (one
/// timer per ballot, not one per voter), then counts by the chosen rule and resumes the case by <c>passed</c>,
/// <c>rejected</c> or <c>no_quorum</c>, with the result in <c>activities.&lt;id&gt;</c>.
/// </summary>
public sealed class BallotActivity : Activity
{
    /// <summary>The type name.</summary>
    public const string TypeName = "Ballot";

    /// <summary>The rule names the designer offers: the statutory presets and <c>custom</c>.</summary>
    public static readonly ImmutableArray<string> Rules = [.. BallotRule.Presets, "custom"];

    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new(TypeName, ActivityCategories.Participation,
        LocalizedText.Of("投票表决", "Ballot"),
        LocalizedText.Of("发布公告、冻结选民名单，按期开始和截止投票，按法定规则计票，结果为通过、未通过或人数不足。",
            "Gives notice, freezes the electorate, opens and closes voting on time, and counts by the statutory rule: passed, rejected or no quorum."))
    {
        Waits = true,
        FixedOutcomes = BallotOutcomes.All,
        Properties =
        [
            new("title", PropertyKind.LocalizedText, LocalizedText.Of("表决事项", "Matter voted on")) { Required = true },
            new("questions", PropertyKind.Json, LocalizedText.Of("表决问题", "Questions"))
            {
                UiHint = "ballot-questions",
                Description = LocalizedText.Of("不填时就表决事项本身投赞成、反对或弃权。每项为 {\"id\", \"text\", \"options\"?, \"maxChoices\"?}。",
                    "Empty means one motion on the matter itself: yes, no or abstain. Each item is {\"id\", \"text\", \"options\"?, \"maxChoices\"?}."),
            },
            new("mode", PropertyKind.Choice, LocalizedText.Of("投票方式", "Who votes"))
            {
                Choices = ["person", "household", "representatives"],
                DefaultJson = "\"person\"",
                Description = LocalizedText.Of("person：年满十八周岁的每个人一票；household：每户一票（户代表）；representatives：村民代表或居民代表。",
                    "person: one vote per adult (18 or over on the day notice is given); household: one per household (its representative); representatives: the elected representatives."),
            },
            new("orgUnit", PropertyKind.Text, LocalizedText.Of("范围（组织单元）", "Org unit"))
            {
                Description = LocalizedText.Of("选民所在的村、社区或组；不填为本案件所属单元。", "The village, community or group whose residents vote; empty means the case's own unit."),
            },
            new("rule", PropertyKind.Choice, LocalizedText.Of("表决规则", "Rule"))
            {
                Required = true,
                UiHint = "ballot-rule",
                Choices = Rules,
                Description = LocalizedText.Of(
                    "villagers-assembly 村民会议：过半数的年满十八周岁村民或三分之二以上的户代表参加，到会人员过半数同意，提前十日公告；village-representatives 村民代表会议：三分之二以上代表参加，过半数同意；residents-assembly 居民会议：过半数参加，过半数同意；simple-majority：过半数；two-thirds：三分之二以上；custom：自定义表达式。",
                    "villagers-assembly: more than half of adult villagers (or two-thirds of households) take part and more than half of them agree, with 10 days' notice; village-representatives: two-thirds of representatives take part, more than half agree; residents-assembly: more than half take part, more than half agree; simple-majority; two-thirds; custom: your own expressions."),
            },
            new("customQuorum", PropertyKind.Text, LocalizedText.Of("自定义：有效条件", "Custom: quorum"))
            {
                Description = LocalizedText.Of("rule 为 custom 时的表达式，可用 electorate、attendees，例如 attendees * 2 > electorate", "With rule custom: an expression over electorate and attendees, e.g. attendees * 2 > electorate"),
            },
            new("customDecision", PropertyKind.Text, LocalizedText.Of("自定义：通过条件", "Custom: decision"))
            {
                Description = LocalizedText.Of("rule 为 custom 时的表达式，可用 yes、no、abstain、attendees、electorate，例如 yes * 3 >= attendees * 2", "With rule custom: an expression over yes, no, abstain, attendees and electorate, e.g. yes * 3 >= attendees * 2"),
            },
            new("notice", PropertyKind.Duration, LocalizedText.Of("公告期", "Notice period"))
            {
                Required = true,
                UiHint = "working-duration",
                Description = LocalizedText.Of("从公告（冻结选民名单）到开始投票的时间，例如 {\"days\": 10}。村民会议不得少于十日。", "From notice (the electorate frozen) to the opening of voting, e.g. {\"days\": 10}. At least 10 days for a villagers' assembly."),
            },
            new("votingPeriod", PropertyKind.Duration, LocalizedText.Of("投票时长", "Voting period")) { Required = true, UiHint = "working-duration" },
            new("secret", PropertyKind.Boolean, LocalizedText.Of("无记名投票", "Secret ballot")) { DefaultJson = "true" },
            new("resultsHidden", PropertyKind.Boolean, LocalizedText.Of("截止前不公开结果", "Results hidden until close")) { DefaultJson = "true" },
            new("allowChange", PropertyKind.Boolean, LocalizedText.Of("截止前可改票", "Votes may be changed before close"))
            {
                DefaultJson = "false",
                Description = LocalizedText.Of("无记名投票须凭回执码改票。", "On a secret ballot only with the voter's receipt code."),
            },
            new("earlyClose", PropertyKind.Boolean, LocalizedText.Of("全部投完即截止", "Close early when everyone has voted")) { DefaultJson = "false" },
            new("variable", PropertyKind.VariableName, LocalizedText.Of("结果存入变量", "Store the result in"))
            {
                Description = LocalizedText.Of("结果公告模板可读取其中的 outcome、attendees、audit_head 等。", "Result notices read outcome, attendees, audit_head and the counts from it."),
            },
        ],
    };

    /// <inheritdoc />
    public override void Validate(ActivityValidationContext context)
    {
        var activity = context.Activity;
        TextPlaceholders.Check(context, "title");
        BallotQuestion.ReadList(activity.Property("questions"), null, (inner, message) => context.Error(ProblemCodes.InvalidProperty, message, "questions", inner));
        var rule = activity.Property("rule") is { ValueKind: JsonValueKind.String } r ? r.GetString() : null;
        var mode = Mode(activity);
        if (rule == "custom")
        {
            CheckCustom(context, "customQuorum", BallotJudge.QuorumNames);
            CheckCustom(context, "customDecision", BallotJudge.Names);
            if (activity.Property("customDecision") is null)
            {
                context.Error(ProblemCodes.InvalidProperty, "A custom rule needs 'customDecision', e.g. yes * 2 > attendees.", "customDecision");
            }
        }
        else if (rule is not null && BallotRule.For(rule, mode ?? ElectorateMode.Person) is { MinimumNoticeDays: { } minimum } preset
            && activity.Property("notice") is { } notice && WorkDuration.TryParse(notice, out _) is { } duration && !preset.NoticeLongEnough(NoticeDays(duration)))
        {
            // The statute (村民委员会组织法 Art 21) counts days: a shorter notice makes the meeting's decisions open to challenge.
            context.Error(ProblemCodes.InvalidProperty,
                $"The rule '{rule}' needs at least {minimum} days' notice ({preset.Source.Get()}); this ballot gives {NoticeDays(duration):0.##}.", "notice");
        }

        // A mode or result variable that is not one is reported by the property checks every activity gets.
    }

    private static void CheckCustom(ActivityValidationContext context, string property, ImmutableHashSet<string> names)
    {
        if (context.Activity.Property(property) is not { ValueKind: JsonValueKind.String } text)
        {
            return;
        }

        var parsed = context.Expressions.Parse(text.GetString()!);
        foreach (var error in parsed.Errors)
        {
            context.Report(ProblemSeverity.Error, error.Code, error.Message, property, null, error.Position);
        }

        foreach (var name in parsed.Globals.Where(n => !names.Contains(n) && !context.Expressions.IsBuiltin(n)))
        {
            context.Error(ProblemCodes.UnknownVariable, $"A ballot rule reads only {string.Join(", ", names)}; '{name}' is none of them.", property);
        }
    }

    /// <summary>The notice in days as the statute counts them: working days are at least as many calendar days.</summary>
    private static double NoticeDays(WorkDuration duration) => duration.Unit == DurationUnit.Elapsed ? duration.Elapsed.TotalDays : duration.Amount / (duration.Unit == DurationUnit.WorkingHours ? 8.0 : 1.0);

    /// <summary>The electorate mode, or null when the property names none.</summary>
    public static ElectorateMode? Mode(ActivityDefinition activity) =>
        ElectorateModes.Parse(activity.Property("mode") is { ValueKind: JsonValueKind.String } m ? m.GetString() : "person");

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        var title = TextPlaceholders.Fill(context, context.Property("title"), out var placeholderError);
        if (placeholderError is not null)
        {
            return new ActivityResult.Faulted(placeholderError.Message, "title", placeholderError.Position);
        }

        var questions = BallotQuestion.ReadList(context.Property("questions"), title, (_, _) => { });
        var notice = WorkDuration.TryParse(context.Property("notice")!.Value, out var error);
        if (notice is null)
        {
            return new ActivityResult.Faulted(error!, "notice");
        }

        var voting = WorkDuration.TryParse(context.Property("votingPeriod")!.Value, out error);
        if (voting is null)
        {
            return new ActivityResult.Faulted(error!, "votingPeriod");
        }

        var opensAt = notice.AddTo(context.Now, context.Calendar);
        var closesAt = voting.AddTo(opensAt, context.Calendar);
        var payload = new JsonObject
        {
            ["title"] = title,
            ["questions"] = new JsonArray([.. questions.Select(q => (JsonNode)q.ToJson())]),
            ["mode"] = context.StringProperty("mode") ?? "person",
            ["orgUnit"] = context.StringProperty("orgUnit"),
            ["rule"] = context.StringProperty("rule"),
            ["customQuorum"] = context.StringProperty("customQuorum"),
            ["customDecision"] = context.StringProperty("customDecision"),
            ["noticeAt"] = context.Now,
            ["opensAt"] = opensAt,
            ["closesAt"] = closesAt,
            ["secret"] = Flag(context, "secret", true),
            ["resultsHidden"] = Flag(context, "resultsHidden", true),
            ["allowChange"] = Flag(context, "allowChange", false),
            ["earlyClose"] = Flag(context, "earlyClose", false),
            ["variable"] = context.StringProperty("variable"),
            ["activityId"] = context.Activity.Id,
            ["definitionId"] = context.Instance.DefinitionId,
            ["definitionVersion"] = context.Instance.DefinitionVersion,
            ["scope"] = context.Instance.Scope,
        };
        // The outbox row's id names the ballot: unique per run of this activity, so a loop back to a new vote gets a new ballot.
        var id = context.Emit(OutboxKinds.Ballot, payload);
        if (context.StringProperty("variable") is { } variable)
        {
            // From notice on, the variable holds the ballot's id and dates, so a step beside the waiting Ballot (a
            // public notice in a parallel branch) can print when voting opens and closes; the count replaces it at close.
            context.SetVariable(variable, new JsonObject { ["status"] = "notice", ["ballotId"] = id, ["noticeAt"] = context.Now, ["opensAt"] = opensAt, ["closesAt"] = closesAt });
        }

        return new ActivityResult.Suspended(new BookmarkRequest(BookmarkKind.Ballot)
        {
            DueAt = closesAt,
            CorrelationKey = id,
            Payload = new JsonObject { ["ballotId"] = id, ["title"] = title?.DeepClone(), ["opensAt"] = opensAt, ["closesAt"] = closesAt },
        });
    }

    private static bool Flag(ActivityContext context, string name, bool otherwise) =>
        context.Property(name) is { } value && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : otherwise;

    /// <inheritdoc />
    public override ImmutableArray<ValidationProblem> ValidateResume(ActivityDefinition activity, Bookmark bookmark, ResumeInput input) =>
        input.Outcome is { } outcome && BallotOutcomes.All.Contains(outcome)
            ? []
            : [ValidationProblem.Error(ProblemCodes.InputInvalid, $"A ballot closes by {string.Join(", ", BallotOutcomes.All)}.") with { Property = "outcome" }];

    /// <inheritdoc />
    public override ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeInput input)
    {
        if (context.StringProperty("variable") is { } variable)
        {
            // The count, with the dates the notice gave, so the documents that follow can say when the vote was held.
            var result = input.Data is JsonObject data ? (JsonObject)data.DeepClone() : new JsonObject();
            result["status"] = "closed";
            result["noticeAt"] ??= bookmark.CreatedAt;
            result["opensAt"] ??= bookmark.Payload?["opensAt"]?.DeepClone();
            result["closesAt"] ??= bookmark.Payload?["closesAt"]?.DeepClone();
            context.SetVariable(variable, result);
        }

        return new ActivityResult.Completed([input.Outcome!], input.Data);
    }
}
