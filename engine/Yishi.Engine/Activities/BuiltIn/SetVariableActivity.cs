using Yishi.Engine.Definitions;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>Sets a declared variable to the value of an expression.</summary>
public sealed class SetVariableActivity : Activity
{
    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new("SetVariable", ActivityCategories.Data,
        LocalizedText.Of("设置变量", "Set variable"), LocalizedText.Of("把表达式的值存入变量。", "Stores the value of an expression in a variable."))
    {
        Properties =
        [
            new("variable", PropertyKind.VariableName, LocalizedText.Of("变量", "Variable")) { Required = true },
            new("value", PropertyKind.Expression, LocalizedText.Of("值", "Value")) { Required = true },
        ],
    };

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        var result = context.Evaluate(context.StringProperty("value")!);
        if (result.Error is { } error)
        {
            return new ActivityResult.Faulted(error.Message, "value", error.Position);
        }

        context.SetVariable(context.StringProperty("variable")!, result.Value);
        return ActivityResult.Done();
    }
}
