using System.Collections.Immutable;
using System.Text.Json;
using Quartz;
using Yishi.Engine.Definitions;
using Yishi.Engine.Validation;

namespace Yishi.Server.Scheduling;

/// <summary>
/// When a workflow starts itself: the Quartz cron expression of its Start activity when that activity says
/// <c>"trigger": "cron"</c>. The engine cannot check the expression (it takes no Quartz dependency); the server does, at publish.
/// </summary>
internal sealed record StartSchedule(string ActivityId, string Cron)
{
    /// <summary>The document's schedule, or null when it is not started on a schedule (or cannot be read).</summary>
    public static StartSchedule? Of(string json)
    {
        var definition = DefinitionParser.Parse(json).Definition;
        var start = definition?.Activities.FirstOrDefault(a => a.Type == "Start" && a.Property("trigger") is { ValueKind: JsonValueKind.String } t && t.GetString() == "cron");
        return start?.Property("cron") is { ValueKind: JsonValueKind.String } cron ? new StartSchedule(start.Id, cron.GetString()!.Trim()) : null;
    }

    /// <summary>What keeps the document from being scheduled: a cron expression Quartz cannot read, at its property.</summary>
    public static ImmutableArray<ValidationProblem> Problems(string json) =>
        Of(json) is { } schedule && !schedule.IsValid
            ? [ValidationProblem.Error(ProblemCodes.InvalidProperty, $"'{schedule.Cron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year], e.g. 0 0 9 1 * ?).")
                with { ActivityId = schedule.ActivityId, Property = "cron" }]
            : [];

    public bool IsValid => CronExpression.TryParse(Cron, out _);
}
