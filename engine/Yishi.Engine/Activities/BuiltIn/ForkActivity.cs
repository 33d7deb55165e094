using Yishi.Engine.Definitions;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>Splits the flow into parallel branches, one per named branch outcome.</summary>
public sealed class ForkActivity : Activity
{
    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new("Fork", ActivityCategories.Flow,
        LocalizedText.Of("并行分支", "Fork"), LocalizedText.Of("同时走多个分支，例如同时通知双方当事人。", "Runs several branches at once, e.g. notifying both parties."))
    {
        FixedOutcomes = [],
        OutcomesProperty = "branches",
        Properties =
        [
            new("branches", PropertyKind.StringList, LocalizedText.Of("分支", "Branches")) { Required = true },
        ],
    };

    /// <inheritdoc />
    public override void Validate(ActivityValidationContext context)
    {
        if (GetOutcomes(context.Activity).Length < 2 && context.Activity.Property("branches") is not null)
        {
            context.Error(ProblemCodes.InvalidProperty, "A fork needs at least two branches.", "branches");
        }
    }

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context) => new ActivityResult.Completed(GetOutcomes(context.Activity));
}
