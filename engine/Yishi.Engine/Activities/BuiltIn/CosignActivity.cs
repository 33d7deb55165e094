using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Outbox;
using Yishi.Engine.Time;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>
/// Puts a topic up for co-signing (联名): residents of the case's org unit and the units below see it and sign it, one
/// signature each. It goes on by <c>reached</c> as soon as enough residents signed, or by <c>lapsed</c> when its time ran
/// out first. A topic that enough neighbours back is worth the committee's time; one that is not can still be raised again.
/// Like a ballot or a consultation the step writes an outbox row for the host, which shows the topic, counts the
/// signatures and resumes the case; the signers' names stay with the host and never enter the case's variables.
/// </summary>
public sealed class CosignActivity : Activity
{
    /// <summary>The type name.</summary>
    public const string TypeName = "Cosign";

    /// <summary>Enough residents signed.</summary>
    public const string Reached = "reached";

    /// <summary>Time ran out first.</summary>
    public const string Lapsed = "lapsed";

    /// <summary>Most co-signers a definition may ask for: beyond this it is a petition drive, better run as a consultation.</summary>
    public const int MaxThreshold = 10_000;

    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new(TypeName, ActivityCategories.Participation,
        LocalizedText.Of("居民联名", "Co-signing"),
        LocalizedText.Of("把议题公布给本单位及下级单位的居民联名附议；达到人数即继续（reached），到期未达到则为 lapsed。",
            "Shows a topic to the residents of the case's unit and the units below for co-signing; goes on by 'reached' once enough signed, or by 'lapsed' when time runs out first."))
    {
        Waits = true,
        FixedOutcomes = [Reached, Lapsed],
        Properties =
        [
            new("topic", PropertyKind.Text, LocalizedText.Of("议题", "Topic"))
            {
                Required = true,
                Description = LocalizedText.Of("居民看到的标题；可用 {{ 变量 }} 填入本案的内容，例如 \"{{ topic }}\"。", "The headline residents see; {{ variable }} fills in the case's own, e.g. \"{{ topic }}\"."),
            },
            new("description", PropertyKind.Text, LocalizedText.Of("说明", "Description")) { UiHint = "multiline" },
            new("threshold", PropertyKind.Number, LocalizedText.Of("联名人数", "Co-signers needed"))
            {
                Required = true,
                DefaultJson = "10",
                Description = LocalizedText.Of("除提议人外需要多少位居民联名。", "How many residents besides the proposer must sign."),
            },
            new("period", PropertyKind.Duration, LocalizedText.Of("征集期", "Open for"))
            {
                Required = true,
                UiHint = "working-duration",
                Description = LocalizedText.Of("从公布到截止的时间，例如 \"P30D\" 或 {\"workingDays\": 10}。", "From publication to closing, e.g. \"P30D\" or {\"workingDays\": 10}."),
            },
        ],
    };

    /// <inheritdoc />
    public override void Validate(ActivityValidationContext context)
    {
        TextPlaceholders.Check(context, "topic");
        TextPlaceholders.Check(context, "description");
        if (context.Activity.Property("threshold") is { } threshold && (threshold.ValueKind != JsonValueKind.Number || !threshold.TryGetInt32(out var n) || n is < 1 or > MaxThreshold))
        {
            context.Error(ProblemCodes.InvalidProperty, $"'threshold' is a whole number of residents from 1 to {MaxThreshold}.", "threshold");
        }
    }

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        var period = WorkDuration.TryParse(context.Property("period")!.Value, out var error);
        if (period is null)
        {
            return new ActivityResult.Faulted(error!, "period");
        }

        if (TextPlaceholders.FillTopic(context, out var topic, out var description) is { } fault)
        {
            return fault;
        }

        var closesAt = period.AddTo(context.Now, context.Calendar);
        var payload = new JsonObject
        {
            ["topic"] = topic,
            ["description"] = description,
            ["threshold"] = context.Property("threshold")!.Value.GetInt32(),
            ["opensAt"] = context.Now,
            ["closesAt"] = closesAt,
            ["scope"] = context.Instance.Scope,
            ["activityId"] = context.Activity.Id,
            ["definitionId"] = context.Instance.DefinitionId,
        };
        // The outbox row's id names the proposal, as for ballots: a loop back to this step makes a new one.
        var id = context.Emit(OutboxKinds.Cosign, payload);
        return new ActivityResult.Suspended(new BookmarkRequest(BookmarkKind.Cosign)
        {
            DueAt = closesAt,
            CorrelationKey = id,
            Payload = new JsonObject { ["proposalId"] = id, ["topic"] = topic, ["threshold"] = payload["threshold"]!.DeepClone(), ["closesAt"] = closesAt },
        });
    }

    /// <inheritdoc />
    public override ImmutableArray<ValidationProblem> ValidateResume(ActivityDefinition activity, Bookmark bookmark, ResumeInput input) =>
        input.Outcome is Reached or Lapsed
            ? []
            : [ValidationProblem.Error(ProblemCodes.InputInvalid, $"Co-signing ends by {Reached} or {Lapsed}.") with { Property = "outcome" }];

    /// <summary>Goes on by the host's outcome; its data (how many signed, when it closed) becomes <c>activities.&lt;id&gt;</c>.</summary>
    public override ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeInput input) =>
        new ActivityResult.Completed([input.Outcome!], input.Data);
}
