using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Outbox;
using Yishi.Engine.Time;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>
/// Asks the residents: a 居民协商 where they give their opinion on a topic (support, oppose or neutral, with their
/// reasons), or a 效果共评 where they score questions from 1 to 5. The step writes an outbox row, committed with it; the
/// host publishes the consultation to the residents of the case's org unit and the units below, closes it when its
/// time is up (one poll for all consultations, not a timer each), and once staff publish a summary it resumes the
/// case with the counts, which later steps read as <c>activities.&lt;id&gt;.support</c> and so on.
/// </summary>
public sealed partial class ConsultationActivity : Activity
{
    /// <summary>The type name.</summary>
    public const string TypeName = "Consultation";

    /// <summary>Residents give an opinion with a stance.</summary>
    public const string Opinions = "opinions";

    /// <summary>Residents score questions from 1 to 5 (效果共评).</summary>
    public const string Evaluation = "evaluation";

    /// <summary>Distinct residents' reports that hide an opinion until staff look at it, unless the definition says otherwise.</summary>
    public const int DefaultReportThreshold = 3;

    /// <summary>Most evaluation questions.</summary>
    public const int MaxQuestions = 20;

    /// <summary>Most attachments.</summary>
    public const int MaxAttachments = 20;

    /// <summary>Longest topic: a headline residents read in a list.</summary>
    public const int MaxTopicLength = 200;

    /// <summary>Longest description.</summary>
    public const int MaxDescriptionLength = 4000;

    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new(TypeName, ActivityCategories.Participation,
        LocalizedText.Of("居民协商", "Consultation"),
        LocalizedText.Of("就一个议题征求居民意见（支持、反对或中立并说明理由），或请居民为工作效果打分（效果共评）；到期截止，工作人员发布总结后继续。",
            "Asks residents for their opinion on a topic (support, oppose or neutral, with reasons), or to score how well something worked (an evaluation); it closes when its time is up and goes on once staff publish a summary."))
    {
        Waits = true,
        Properties =
        [
            new("topic", PropertyKind.Text, LocalizedText.Of("议题", "Topic")) { Required = true },
            new("description", PropertyKind.Text, LocalizedText.Of("说明", "Description")) { UiHint = "multiline" },
            new("attachments", PropertyKind.Json, LocalizedText.Of("附件", "Attachments"))
            {
                UiHint = "attachment-list",
                Description = LocalizedText.Of("列表，每项为 {\"name\": \"方案.pdf\", \"url\": \"https://…\"} 或案件文书 {\"document\": \"文书编号\"}。",
                    "A list; each item is {\"name\": \"plan.pdf\", \"url\": \"https://…\"} or a case document {\"document\": \"document id\"}."),
            },
            new("duration", PropertyKind.Duration, LocalizedText.Of("征求期", "Open for"))
            {
                Required = true,
                UiHint = "working-duration",
                Description = LocalizedText.Of("从发布到截止的时间，例如 \"P14D\" 或 {\"workingDays\": 10}。", "From publication to closing, e.g. \"P14D\" or {\"workingDays\": 10}."),
            },
            new("kind", PropertyKind.Choice, LocalizedText.Of("形式", "Kind"))
            {
                Choices = [Opinions, Evaluation],
                DefaultJson = "\"opinions\"",
                Description = LocalizedText.Of("opinions：征求意见（支持、反对、中立）；evaluation：效果共评（按问题打 1–5 分）。",
                    "opinions: residents give a stance (support, oppose, neutral) and their reasons; evaluation: residents score each question from 1 to 5."),
            },
            new("questions", PropertyKind.Json, LocalizedText.Of("评价问题", "Questions"))
            {
                UiHint = "evaluation-questions",
                Description = LocalizedText.Of("效果共评时必填：列表，每项为 {\"id\": \"cleanliness\", \"text\": \"楼道是否更干净了？\"}，居民打 1–5 分。",
                    "Required for an evaluation: a list of {\"id\": \"cleanliness\", \"text\": \"Are the stairwells cleaner?\"}, each scored 1 to 5."),
            },
            new("reportThreshold", PropertyKind.Number, LocalizedText.Of("举报隐藏阈值", "Reports before hiding"))
            {
                DefaultJson = "3",
                Description = LocalizedText.Of("有这么多位居民举报后，该意见先隐藏，等工作人员审核。", "When this many residents have reported an opinion, it is hidden until staff review it."),
            },
            new("sensitiveWords", PropertyKind.StringList, LocalizedText.Of("敏感词", "Sensitive words"))
            {
                Description = LocalizedText.Of("含有这些词的意见先不公开，等工作人员审核，并告知作者。", "An opinion containing one of these words is held for staff review instead of published, and its author is told."),
            },
        ],
    };

    /// <inheritdoc />
    public override void Validate(ActivityValidationContext context)
    {
        var activity = context.Activity;
        TextPlaceholders.Check(context, "topic");
        TextPlaceholders.Check(context, "description");
        if (activity.Property("topic") is { ValueKind: JsonValueKind.String } topic && !TextPlaceholders.HasAny(topic) && topic.GetString()!.Length > MaxTopicLength)
        {
            context.Error(ProblemCodes.InvalidProperty, $"'topic' is a headline of at most {MaxTopicLength} characters; put the rest in 'description'.", "topic");
        }

        if (activity.Property("description") is { ValueKind: JsonValueKind.String } description && !TextPlaceholders.HasAny(description)
            && description.GetString()!.Length > MaxDescriptionLength)
        {
            context.Error(ProblemCodes.InvalidProperty, $"'description' has at most {MaxDescriptionLength} characters; attach longer documents.", "description");
        }

        var kind = activity.Property("kind") is { ValueKind: JsonValueKind.String } k ? k.GetString() : Opinions;
        var questions = activity.Property("questions");
        if (kind == Evaluation && questions is null)
        {
            context.Error(ProblemCodes.MissingProperty, "An evaluation needs 'questions': a list of {\"id\", \"text\"} for residents to score from 1 to 5.", "questions");
        }
        else if (questions is { } list)
        {
            CheckQuestions(context, list, kind);
        }

        if (activity.Property("attachments") is { } attachments)
        {
            CheckAttachments(context, attachments);
        }

        if (activity.Property("reportThreshold") is { ValueKind: JsonValueKind.Number } threshold && (!threshold.TryGetInt32(out var n) || n is < 1 or > 1000))
        {
            context.Error(ProblemCodes.InvalidProperty, "'reportThreshold' is a whole number of residents from 1 to 1000.", "reportThreshold");
        }
    }

    private static void CheckQuestions(ActivityValidationContext context, JsonElement list, string? kind)
    {
        if (kind != Evaluation)
        {
            context.Report(ProblemSeverity.Warning, ProblemCodes.InvalidProperty, "'questions' are scored only in an evaluation (kind: evaluation); they are ignored here.", "questions");
            return;
        }

        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > MaxQuestions)
        {
            context.Error(ProblemCodes.InvalidProperty, $"'questions' must be a list of 1 to {MaxQuestions} items {{\"id\", \"text\"}}.", "questions");
            return;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var question in list.EnumerateArray())
        {
            var inner = $"/{index++}";
            if (question.ValueKind != JsonValueKind.Object || Text(question, "id") is not { } id || !QuestionId().IsMatch(id) || Text(question, "text") is null)
            {
                context.Error(ProblemCodes.InvalidProperty,
                    "Each question is {\"id\": \"cleanliness\", \"text\": \"…\"}: the id in lower-case letters, digits, '-' or '_' (at most 40), the text not empty.", "questions", inner);
            }
            else if (!ids.Add(id))
            {
                context.Error(ProblemCodes.InvalidProperty, $"Two questions have the id '{id}'; each needs its own.", "questions", inner + "/id");
            }
        }
    }

    private static void CheckAttachments(ActivityValidationContext context, JsonElement attachments)
    {
        if (attachments.ValueKind != JsonValueKind.Array || attachments.GetArrayLength() > MaxAttachments)
        {
            context.Error(ProblemCodes.InvalidProperty, $"'attachments' must be a list of at most {MaxAttachments} links or case documents.", "attachments");
            return;
        }

        var index = 0;
        foreach (var attachment in attachments.EnumerateArray())
        {
            var inner = $"/{index++}";
            var isLink = Text(attachment, "url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && Text(attachment, "name") is not null;
            var isDocument = Text(attachment, "document") is not null;
            if (attachment.ValueKind != JsonValueKind.Object || isLink == isDocument)
            {
                context.Error(ProblemCodes.InvalidProperty,
                    "Each attachment is {\"name\": \"…\", \"url\": \"https://…\"} (a web link) or {\"document\": \"…\"} (a document of the case).", "attachments", inner);
            }
        }
    }

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        var duration = WorkDuration.TryParse(context.Property("duration")!.Value, out var error);
        if (duration is null)
        {
            return new ActivityResult.Faulted(error!, "duration");
        }

        var closesAt = duration.AddTo(context.Now, context.Calendar);
        var topic = TextPlaceholders.Fill(context, context.StringProperty("topic")!, out var placeholderError);
        var description = placeholderError is null && context.StringProperty("description") is { } text ? TextPlaceholders.Fill(context, text, out placeholderError) : null;
        if (placeholderError is not null)
        {
            return new ActivityResult.Faulted(placeholderError.Message, description is null ? "topic" : "description", placeholderError.Position);
        }

        // A filled topic is as long as the case makes it: too long for a headline is the case's fault, not the definition's.
        if (topic.Trim().Length == 0 || topic.Length > MaxTopicLength)
        {
            return new ActivityResult.Faulted($"The topic is {topic.Length} characters once filled; it must be 1 to {MaxTopicLength}.", "topic");
        }

        if (description is { Length: > MaxDescriptionLength })
        {
            return new ActivityResult.Faulted($"The description is {description.Length} characters once filled; it must be at most {MaxDescriptionLength}.", "description");
        }

        var kind = context.StringProperty("kind") ?? Opinions;
        var threshold = context.Property("reportThreshold") is { ValueKind: JsonValueKind.Number } t && t.TryGetInt32(out var n) ? n : DefaultReportThreshold;
        var payload = new JsonObject
        {
            ["topic"] = topic,
            ["description"] = description,
            ["attachments"] = Copy(context.Property("attachments")) ?? new JsonArray(),
            ["kind"] = kind,
            ["questions"] = kind == Evaluation ? Copy(context.Property("questions")) : new JsonArray(),
            ["reportThreshold"] = threshold,
            ["sensitiveWords"] = Copy(context.Property("sensitiveWords")) ?? new JsonArray(),
            ["opensAt"] = context.Now,
            ["closesAt"] = closesAt,
            ["scope"] = context.Instance.Scope,
            ["instanceId"] = context.Instance.Id,
            ["activityId"] = context.Activity.Id,
            ["definitionId"] = context.Instance.DefinitionId,
            ["definitionVersion"] = context.Instance.DefinitionVersion,
        };
        var id = context.Emit(OutboxKinds.Consultation, payload);

        // The outbox row's id names the consultation: the host finds this bookmark by it when the summary is published.
        return new ActivityResult.Suspended(new BookmarkRequest(BookmarkKind.Consultation)
        {
            DueAt = closesAt,
            CorrelationKey = id,
            Payload = new JsonObject { ["consultationId"] = id, ["topic"] = payload["topic"]?.DeepClone(), ["kind"] = kind, ["closesAt"] = closesAt },
        });
    }

    /// <inheritdoc />
    public override ImmutableArray<ValidationProblem> ValidateResume(ActivityDefinition activity, Bookmark bookmark, ResumeInput input) =>
        input.Outcome is not (null or ConnectionDefinition.DefaultOutcome)
            ? [ValidationProblem.Error(ProblemCodes.InputInvalid, "A consultation goes on by 'done' only.") with { Property = "outcome" }]
            : input.Data is null
                ? [ValidationProblem.Error(ProblemCodes.InputInvalid, "A consultation resumes with its summary and counts.") with { Property = "data" }]
                : [];

    /// <summary>Completes by <c>done</c>; the summary and counts the host passes become <c>activities.&lt;id&gt;</c>.</summary>
    public override ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeInput input)
    {
        var output = (JsonObject)input.Data!.DeepClone();
        output["consultationId"] = bookmark.CorrelationKey;
        return ActivityResult.Done(output: output);
    }

    private static string? Text(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length > 0
            ? value.GetString()
            : null;

    private static JsonNode? Copy(JsonElement? value) => value is { } v ? JsonNode.Parse(v.GetRawText()) : null;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex QuestionId();
}
