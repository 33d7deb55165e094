using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Time;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>Waits for a duration (elapsed or working time) on a timer bookmark.</summary>
public sealed class DelayActivity : Activity
{
    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new("Delay", ActivityCategories.Time,
        LocalizedText.Of("等待一段时间", "Delay"), LocalizedText.Of("等待一段时间后继续，例如 3 个工作日。", "Waits for a while, e.g. 3 working days, then goes on."))
    {
        Waits = true,
        Properties =
        [
            new("duration", PropertyKind.Duration, LocalizedText.Of("时长", "Duration")) { Required = true, UiHint = "working-duration" },
        ],
    };

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        var duration = WorkDuration.TryParse(context.Property("duration")!.Value, out var error);
        return duration is null
            ? new ActivityResult.Faulted(error!, "duration")
            : new ActivityResult.Suspended(new BookmarkRequest(BookmarkKind.Timer) { DueAt = duration.AddTo(context.Now, context.Calendar) });
    }
}

/// <summary>Waits until a point in time given by an expression.</summary>
public sealed class UntilActivity : Activity
{
    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new("Until", ActivityCategories.Time,
        LocalizedText.Of("等到某一时间", "Until"), LocalizedText.Of("等到某个时间点再继续，例如投票截止时间。", "Waits until a point in time, e.g. a ballot's closing time."))
    {
        Waits = true,
        Properties =
        [
            new("at", PropertyKind.Expression, LocalizedText.Of("时间", "Time"))
            {
                Required = true,
                Description = LocalizedText.Of("结果为 ISO 8601 时间的表达式，例如 closesAt", "An expression giving an ISO 8601 time, e.g. closesAt"),
            },
        ],
    };

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        var result = context.Evaluate(context.StringProperty("at")!);
        if (result.Error is { } error)
        {
            return new ActivityResult.Faulted(error.Message, "at", error.Position);
        }

        if (result.Value is not System.Text.Json.Nodes.JsonValue value || !value.TryGetValue<string>(out var text) ||
            !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
        {
            return new ActivityResult.Faulted($"'at' must give an ISO 8601 time, but it gave {result.Value?.ToJsonString() ?? "null"}.", "at");
        }

        // A time already past continues at once: the wait is over.
        return at <= context.Now
            ? ActivityResult.Done()
            : new ActivityResult.Suspended(new BookmarkRequest(BookmarkKind.Timer) { DueAt = at.ToUniversalTime() });
    }
}
