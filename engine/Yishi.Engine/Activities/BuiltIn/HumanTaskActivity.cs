using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Time;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>
/// A task for a person (by role or by user): it appears in their inbox with a title, a form, the outcomes
/// they can choose and a deadline, and the instance waits until someone completes it.
/// </summary>
public sealed class HumanTaskActivity : Activity
{
    /// <summary>The type name.</summary>
    public const string TypeName = "HumanTask";

    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new(TypeName, ActivityCategories.People,
        LocalizedText.Of("人工任务", "Human task"), LocalizedText.Of("交给某个角色或某人处理：填写表单、选择结果，有办理期限。", "A task for a role or a person: fill a form, choose an outcome, within a deadline."))
    {
        Waits = true,
        FixedOutcomes = [],
        OutcomesProperty = "outcomes",
        Properties =
        [
            new("title", PropertyKind.LocalizedText, LocalizedText.Of("标题", "Title")) { Required = true },
            new("description", PropertyKind.LocalizedText, LocalizedText.Of("说明", "Instructions")) { UiHint = "multiline" },
            new("assignee", PropertyKind.Assignee, LocalizedText.Of("办理人", "Assignee"))
            {
                Required = true,
                UiHint = "role-or-user-picker",
                Description = LocalizedText.Of("{\"role\": \"mediator\"}、{\"user\": \"用户编号\"} 或 {\"expression\": \"…\"}", "{\"role\": \"mediator\"}, {\"user\": \"user id\"} or {\"expression\": \"…\"}"),
            },
            new("outcomes", PropertyKind.StringList, LocalizedText.Of("办理结果", "Outcomes")) { Required = true, DefaultJson = "[\"done\"]" },
            new("form", PropertyKind.FormFields, LocalizedText.Of("表单", "Form")) { UiHint = "form-builder" },
            new("due", PropertyKind.Duration, LocalizedText.Of("办理期限", "Due in")) { UiHint = "working-duration" },
            new("priority", PropertyKind.Choice, LocalizedText.Of("优先级", "Priority")) { Choices = ["low", "normal", "high", "urgent"], DefaultJson = "\"normal\"" },
            new("warnings", PropertyKind.Json, LocalizedText.Of("期限提醒 (%)", "Deadline warnings (%)"))
            {
                DefaultJson = "[50, 80, 100]",
                Description = LocalizedText.Of("办理期限过去多少时提醒，例如 [50, 80, 100]；100 即到期。", "When to warn, as shares of the time to the deadline, e.g. [50, 80, 100]; 100 is the deadline itself."),
            },
            new("extensions", PropertyKind.Choice, LocalizedText.Of("延期", "Extensions"))
            {
                Choices = ["allowed", "approval", "none"], DefaultJson = "\"allowed\"",
                Description = LocalizedText.Of("allowed：办理人说明理由即可延期；approval：需主管批准；none：不能延期。", "allowed: the assignee extends with a reason; approval: a supervisor must approve; none: no extensions."),
            },
            new("onOverdue", PropertyKind.Choice, LocalizedText.Of("到期后", "When overdue"))
            {
                Choices = ["remind", "leave"], DefaultJson = "\"remind\"",
                Description = LocalizedText.Of("remind：任务保留并提醒；leave：任务以 overdue 结果离开，可连接到升级处理。", "remind: the task stays open and people are warned; leave: the task leaves by the outcome 'overdue', which can lead to an escalation."),
            },
        ],
    };

    /// <summary>The outcome a task leaves by when its deadline passes with <c>onOverdue: leave</c>; people cannot choose it.</summary>
    public const string OverdueOutcome = "overdue";

    /// <inheritdoc />
    public override ImmutableArray<string> GetOutcomes(ActivityDefinition activity)
    {
        var outcomes = base.GetOutcomes(activity);
        return LeavesWhenOverdue(activity) && !outcomes.Contains(OverdueOutcome) ? outcomes.Add(OverdueOutcome) : outcomes;
    }

    /// <summary>Does a task of this activity leave by <see cref="OverdueOutcome"/> at its deadline?</summary>
    public static bool LeavesWhenOverdue(ActivityDefinition activity) =>
        activity.Property("due") is not null && activity.Property("onOverdue") is { ValueKind: JsonValueKind.String } choice && choice.GetString() == "leave";

    /// <summary><c>allowed</c>, <c>approval</c> or <c>none</c>.</summary>
    public static string ExtensionPolicy(ActivityDefinition activity) =>
        activity.Property("extensions") is { ValueKind: JsonValueKind.String } policy ? policy.GetString()! : "allowed";

    /// <summary>The next warning still ahead of <paramref name="now"/> for a task from <paramref name="start"/> to <paramref name="due"/>.</summary>
    public static DateTimeOffset? NextWarning(ActivityDefinition activity, DateTimeOffset start, DateTimeOffset due, DateTimeOffset now) =>
        Warnings(activity).Select(p => WarningTime(start, due, p)).Where(t => t > now).Select(t => (DateTimeOffset?)t).FirstOrDefault();

    /// <summary>
    /// The warning percentages, ascending: the property, or 50, 80 and 100. A task that leaves when overdue always has
    /// 100 among them: the alarm at the deadline is what makes it leave, so warnings of [50, 80] must not keep it open.
    /// </summary>
    public static ImmutableArray<int> Warnings(ActivityDefinition activity)
    {
        ImmutableArray<int> given = activity.Property("warnings") is { ValueKind: JsonValueKind.Array } list
            ? [.. list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var p) && p is > 0 and <= 100).Select(e => e.GetInt32()).Distinct().Order()]
            : [50, 80, 100];
        return LeavesWhenOverdue(activity) && !given.Contains(100) ? given.Add(100) : given;
    }

    /// <summary>When <paramref name="percent"/> % of the time from <paramref name="start"/> to <paramref name="due"/> has passed.</summary>
    public static DateTimeOffset WarningTime(DateTimeOffset start, DateTimeOffset due, int percent) =>
        start + TimeSpan.FromTicks((due - start).Ticks / 100 * percent);

    /// <inheritdoc />
    public override void Validate(ActivityValidationContext context)
    {
        if (context.Activity.Property("outcomes") is { ValueKind: JsonValueKind.Array } && GetOutcomes(context.Activity).IsEmpty)
        {
            context.Error(ProblemCodes.InvalidProperty, "A human task needs at least one outcome.", "outcomes");
        }

        if (context.Activity.Property("warnings") is { } warnings
            && (warnings.ValueKind != JsonValueKind.Array || warnings.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var p) || p is <= 0 or > 100)))
        {
            context.Error(ProblemCodes.InvalidProperty, "Deadline warnings are a list of percentages from 1 to 100, e.g. [50, 80, 100].", "warnings");
        }

        if (context.Activity.Property("onOverdue") is not null && context.Activity.Property("due") is null)
        {
            context.Error(ProblemCodes.InvalidProperty, "'onOverdue' needs a 'due' deadline.", "onOverdue");
        }

        if (context.Activity.Property("assignee") is { } assignee)
        {
            if (assignee.ValueKind != JsonValueKind.Object || Assignee(assignee) is not (var kind, var value) || string.IsNullOrWhiteSpace(value))
            {
                context.Error(ProblemCodes.InvalidProperty, "The assignee is {\"role\": \"…\"}, {\"user\": \"…\"} or {\"expression\": \"…\"}.", "assignee");
            }
            else if (kind == "expression")
            {
                context.CheckExpression("assignee", value, "/expression");
            }
        }

        if (context.Activity.Property("form") is { } form)
        {
            var fields = FormField.ReadList(form, (inner, message) => context.Error(ProblemCodes.InvalidProperty, message, "form", inner));
            foreach (var (field, index) in fields.Select((f, i) => (f, i)))
            {
                if (field.Variable is { } variable && !context.Variables.Contains(variable))
                {
                    context.Error(ProblemCodes.UnknownVariable, $"The field '{field.Name}' stores into '{variable}', which is not a declared variable.", "form", $"/{index}/variable");
                }
            }
        }
    }

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        var (kind, value) = Assignee(context.Property("assignee")!.Value)!.Value;
        string? role = null, user = null;
        switch (kind)
        {
            case "role":
                role = value;
                break;
            case "user":
                user = value;
                break;
            default:
                var result = context.Evaluate(value);
                if (result.Error is { } error)
                {
                    return new ActivityResult.Faulted(error.Message, "assignee", error.Position);
                }

                user = result.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
                if (string.IsNullOrEmpty(user))
                {
                    return new ActivityResult.Faulted("The assignee expression gave no user id.", "assignee");
                }

                break;
        }

        DateTimeOffset? dueAt = null;
        if (context.Property("due") is { } due)
        {
            var duration = WorkDuration.TryParse(due, out var error);
            if (duration is null)
            {
                return new ActivityResult.Faulted(error!, "due");
            }

            dueAt = duration.AddTo(context.Now, context.Calendar);
        }

        var payload = new JsonObject
        {
            ["title"] = JsonNode.Parse(context.Property("title")!.Value.GetRawText()),
            ["outcomes"] = new JsonArray([.. GetOutcomes(context.Activity).Where(o => o != OverdueOutcome || !LeavesWhenOverdue(context.Activity)).Select(o => (JsonNode)JsonValue.Create(o))]),
            ["priority"] = context.StringProperty("priority") ?? "normal",
        };
        DateTimeOffset? alarmAt = null;
        if (dueAt is { } deadline && Warnings(context.Activity) is [var first, ..])
        {
            alarmAt = WarningTime(context.Now, deadline, first);
        }

        return new ActivityResult.Suspended(new BookmarkRequest(BookmarkKind.HumanTask) { Role = role, UserId = user, DueAt = dueAt, AlarmAt = alarmAt, Payload = payload });
    }

    /// <inheritdoc />
    public override ImmutableArray<ValidationProblem> ValidateResume(ActivityDefinition activity, Bookmark bookmark, ResumeInput input)
    {
        var outcomes = GetOutcomes(activity);
        var problems = ImmutableArray.CreateBuilder<ValidationProblem>();
        if (input.Outcome is null ? outcomes.Length != 1 : !outcomes.Contains(input.Outcome))
        {
            problems.Add(ValidationProblem.Error(ProblemCodes.InputInvalid,
                $"Choose one of the outcomes: {string.Join(", ", outcomes)}.") with { Property = "outcome" });
        }

        var fields = activity.Property("form") is { } form ? FormField.ReadList(form, (_, _) => { }) : [];
        problems.AddRange(FormField.Check(fields, input.Data));
        return problems.ToImmutable();
    }

    /// <inheritdoc />
    public override ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeInput input)
    {
        var outcome = input.Outcome ?? GetOutcomes(context.Activity)[0];
        var fields = context.Property("form") is { } form ? FormField.ReadList(form, (_, _) => { }) : [];
        foreach (var field in fields)
        {
            if (field.Variable is { } variable && input.Data?[field.Name] is { } value)
            {
                context.SetVariable(variable, value);
            }
        }

        return ActivityResult.Done(outcome, new JsonObject { ["outcome"] = outcome, ["data"] = input.Data?.DeepClone() });
    }

    private static (string Kind, string Value)? Assignee(JsonElement assignee)
    {
        if (assignee.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var kind in (string[])["role", "user", "expression"])
        {
            if (assignee.TryGetProperty(kind, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return (kind, value.GetString()!);
            }
        }

        return null;
    }
}
