using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>Starts another published workflow as a child and waits for it to finish.</summary>
public sealed class SubWorkflowActivity : Activity
{
    /// <summary>The type name.</summary>
    public const string TypeName = "SubWorkflow";

    /// <summary>Outcome when the child was cancelled.</summary>
    public const string CancelledOutcome = "cancelled";

    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new(TypeName, ActivityCategories.Flow,
        LocalizedText.Of("子流程", "Sub-workflow"), LocalizedText.Of("启动另一个已发布的流程并等待其结束。", "Starts another published workflow and waits for it to finish."))
    {
        Waits = true,
        FixedOutcomes = [ConnectionDefinition.DefaultOutcome, CancelledOutcome],
        Properties =
        [
            new("definitionId", PropertyKind.DefinitionId, LocalizedText.Of("流程", "Workflow")) { Required = true },
            new("input", PropertyKind.ExpressionMap, LocalizedText.Of("输入", "Input"))
            {
                Description = LocalizedText.Of("子流程变量名 → 表达式", "Child variable name → expression"),
            },
            new("resultVariable", PropertyKind.VariableName, LocalizedText.Of("结果存入", "Store result in")),
        ],
    };

    /// <inheritdoc />
    public override void Validate(ActivityValidationContext context)
    {
        if (context.Activity.Property("input") is { ValueKind: JsonValueKind.Object } input)
        {
            foreach (var entry in input.EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.String)
                {
                    context.CheckExpression("input", entry.Value.GetString()!, "/" + Definitions.SourceMap.Escape(entry.Name));
                }
            }
        }
    }

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        var childInput = new JsonObject();
        if (context.Property("input") is { ValueKind: JsonValueKind.Object } input)
        {
            foreach (var entry in input.EnumerateObject())
            {
                var result = context.Evaluate(entry.Value.GetString() ?? "null");
                if (result.Error is { } error)
                {
                    return new ActivityResult.Faulted($"Input '{entry.Name}': {error.Message}", "input", error.Position);
                }

                childInput[entry.Name] = result.Value;
            }
        }

        return new ActivityResult.StartChild(context.StringProperty("definitionId")!, childInput);
    }

    /// <inheritdoc />
    public override ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeInput input)
    {
        if (context.StringProperty("resultVariable") is { } variable)
        {
            context.SetVariable(variable, input.Data?["result"]);
        }

        return ActivityResult.Done(input.Outcome == CancelledOutcome ? CancelledOutcome : ConnectionDefinition.DefaultOutcome);
    }
}
