using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Definitions;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>Takes the <c>true</c> or the <c>false</c> outcome by a condition.</summary>
public sealed class DecisionActivity : Activity
{
    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new("Decision", ActivityCategories.Flow,
        LocalizedText.Of("条件判断", "Decision"), LocalizedText.Of("按条件走“是”或“否”分支。", "Goes on by 'true' or 'false' according to a condition."))
    {
        FixedOutcomes = ["true", "false"],
        Properties =
        [
            new("condition", PropertyKind.Expression, LocalizedText.Of("条件", "Condition"))
            {
                Required = true,
                UiHint = "condition-builder",
                Description = LocalizedText.Of("结果为真或假的表达式，例如 riskLevel == \"high\"", "An expression that is true or false, e.g. riskLevel == \"high\""),
            },
        ],
    };

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        var result = context.Evaluate(context.StringProperty("condition")!);
        if (result.Error is { } error)
        {
            return new ActivityResult.Faulted(error.Message, "condition", error.Position);
        }

        // Strict on purpose: a condition that yields text or a number is almost always a mistake in the design.
        return result.Value is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? ActivityResult.Done(value.GetValue<bool>() ? "true" : "false")
            : new ActivityResult.Faulted($"The condition must be true or false, but it gave {Describe(result.Value)}.", "condition");
    }

    private static string Describe(JsonNode? value) => value is null ? "nothing (null)" : value.ToJsonString();
}
