using System.Text.Json;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>
/// Waits for a named message with a correlation key, e.g. a hotline system reporting back on a referred case.
/// A message that arrives before the wait begins is kept for a while and delivered when it does.
/// </summary>
public sealed class WaitForMessageActivity : Activity
{
    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new("WaitForMessage", ActivityCategories.Data,
        LocalizedText.Of("等待消息", "Wait for message"), LocalizedText.Of("等待外部系统发来的消息（按名称和关联键匹配）。", "Waits for a message from another system, matched by name and correlation key."))
    {
        Waits = true,
        Properties =
        [
            new("message", PropertyKind.Text, LocalizedText.Of("消息名称", "Message name")) { Required = true },
            new("correlationKey", PropertyKind.Expression, LocalizedText.Of("关联键", "Correlation key"))
            {
                Description = LocalizedText.Of("表达式；留空时用实例的关联键。", "An expression; the instance's correlation key when empty."),
            },
            new("variable", PropertyKind.VariableName, LocalizedText.Of("存入变量", "Store in variable")),
        ],
    };

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        string? key = context.Instance.CorrelationKey;
        if (context.StringProperty("correlationKey") is { } expression)
        {
            var result = context.Evaluate(expression);
            if (result.Error is { } error)
            {
                return new ActivityResult.Faulted(error.Message, "correlationKey", error.Position);
            }

            key = result.Value is System.Text.Json.Nodes.JsonValue value && value.GetValueKind() != JsonValueKind.Null
                ? (value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString())
                : null;
        }

        if (string.IsNullOrEmpty(key))
        {
            return new ActivityResult.Faulted("There is no correlation key: set 'correlationKey' or start the instance with one.", "correlationKey");
        }

        return new ActivityResult.Suspended(new BookmarkRequest(BookmarkKind.Message) { MessageName = context.StringProperty("message"), CorrelationKey = key });
    }

    /// <inheritdoc />
    public override ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeInput input)
    {
        if (context.StringProperty("variable") is { } variable)
        {
            context.SetVariable(variable, input.Data);
        }

        return ActivityResult.Done();
    }
}
