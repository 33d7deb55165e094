using Yishi.Engine.Definitions;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>
/// Merges branches. <c>all</c> waits for every incoming branch that can still arrive (a branch a Decision
/// did not take does not block it); <c>any</c> continues with the first branch to arrive and withdraws the
/// others that were heading here. The interpreter implements the waiting; see <see cref="Execution.Interpreter"/>.
/// </summary>
public sealed class JoinActivity : Activity
{
    /// <summary>The type name.</summary>
    public const string TypeName = "Join";

    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new(TypeName, ActivityCategories.Flow,
        LocalizedText.Of("汇合", "Join"), LocalizedText.Of("汇合分支：等待全部仍可能到达的分支，或任一分支先到即继续。", "Merges branches: waits for all that can still arrive, or goes on with the first."))
    {
        Properties =
        [
            new("mode", PropertyKind.Choice, LocalizedText.Of("方式", "Mode")) { Choices = ["all", "any"], DefaultJson = "\"all\"" },
        ],
    };

    /// <summary>True for <c>any</c>.</summary>
    public static bool IsAny(ActivityDefinition activity) => activity.Property("mode")?.GetString() == "any";

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context) => ActivityResult.Done();
}
