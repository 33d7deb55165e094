using Yishi.Engine.Definitions;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>Ends the instance, with an optional result; any other open branch is withdrawn.</summary>
public sealed class EndActivity : Activity
{
    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new("End", ActivityCategories.Flow,
        LocalizedText.Of("结束", "End"), LocalizedText.Of("结束流程，可给出结果；其他未完成的分支一并撤回。", "Ends the workflow with an optional result; other open branches are withdrawn."))
    {
        FixedOutcomes = [],
        Properties =
        [
            new("result", PropertyKind.Expression, LocalizedText.Of("结果", "Result"))
            {
                Description = LocalizedText.Of("表达式，例如 \"resolved\" 或 activities.review.outcome", "An expression, e.g. \"resolved\" or activities.review.outcome"),
            },
        ],
    };

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        if (context.StringProperty("result") is not { } expression)
        {
            return new ActivityResult.Ended(null);
        }

        var value = context.Evaluate(expression);
        return value.Error is { } error
            ? new ActivityResult.Faulted(error.Message, "result", error.Position)
            : new ActivityResult.Ended(value.Value);
    }
}
