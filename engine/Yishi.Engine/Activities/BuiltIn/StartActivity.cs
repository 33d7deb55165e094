using Yishi.Engine.Definitions;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>Where a workflow begins: started by a person, through the API, or on a schedule.</summary>
public sealed class StartActivity : Activity
{
    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new("Start", ActivityCategories.Flow,
        LocalizedText.Of("开始", "Start"), LocalizedText.Of("流程从这里开始：人工发起、接口发起或按计划发起。", "The workflow begins here: started by a person, through the API, or on a schedule."))
    {
        CanStartWorkflow = true,
        Properties =
        [
            new("trigger", PropertyKind.Choice, LocalizedText.Of("发起方式", "Started by")) { Choices = ["manual", "api", "cron"], DefaultJson = "\"manual\"" },
            new("cron", PropertyKind.Text, LocalizedText.Of("计划 (cron)", "Schedule (cron)"))
            {
                Description = LocalizedText.Of("按计划发起时使用的 Quartz cron 表达式，例如每月一日 9 点：0 0 9 1 * ?", "Quartz cron expression for scheduled starts, e.g. 9:00 on the 1st of each month: 0 0 9 1 * ?"),
            },
        ],
    };

    /// <inheritdoc />
    public override void Validate(ActivityValidationContext context)
    {
        if (context.Activity.Property("trigger")?.GetString() == "cron" && context.Activity.Property("cron") is null)
        {
            context.Error(Validation.ProblemCodes.MissingProperty, "A scheduled start needs a 'cron' expression.", "cron");
        }
    }

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context) => ActivityResult.Done();
}
