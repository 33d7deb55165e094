using Quartz;
using Yishi.Engine.Definitions;
using Yishi.Engine.Persistence;

namespace Yishi.Server.Scheduling;

/// <summary>
/// Keeps Quartz's schedule in step with the published definitions: one job and one cron trigger per definition id,
/// for the newest published version, replaced when its schedule changes and removed when no published version is
/// scheduled any more.
/// </summary>
internal sealed partial class ScheduledStarts(ISchedulerFactory schedulers, IWorkflowStore store, Timers.OrgCalendars calendars, ILogger<ScheduledStarts> logger)
{
    /// <summary>Schedules count in the same time zone as the working calendar (<c>Yishi:TimeZone</c>).</summary>
    private TimeZoneInfo Zone => calendars.Base.Zone;

    public const string Group = "scheduled-starts";

    /// <summary>Brings one definition's trigger in line with its newest published version; after a publish or a retirement.</summary>
    public async Task RefreshAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var versions = await store.ListVersionsAsync(definitionId, cancellationToken);
        await ApplyAsync(scheduler, definitionId, Wanted(versions), cancellationToken);
    }

    /// <summary>At start-up: every published schedule gets its trigger, and triggers of definitions no longer scheduled go.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var wanted = (await store.ListDefinitionsAsync(cancellationToken))
            .GroupBy(v => v.DefinitionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Wanted([.. g]), StringComparer.Ordinal);
        foreach (var job in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group), cancellationToken))
        {
            if (!wanted.ContainsKey(job.Name))
            {
                await ApplyAsync(scheduler, job.Name, null, cancellationToken);
            }
        }

        foreach (var (definitionId, schedule) in wanted)
        {
            await ApplyAsync(scheduler, definitionId, schedule, cancellationToken);
        }
    }

    private StartSchedule? Wanted(IReadOnlyList<DefinitionVersion> versions)
    {
        var published = versions.Where(v => v.Status == DefinitionStatus.Published).MaxBy(v => v.Version);
        var schedule = published is null ? null : StartSchedule.Of(published.Json);
        if (schedule is { IsValid: false })
        {
            // Publishing refuses such a cron; one can still arrive through a shipped file or a version published before the check.
            LogInvalidCron(logger, published!.DefinitionId, schedule.Cron);
            return null;
        }

        return schedule;
    }

    private async Task ApplyAsync(IScheduler scheduler, string definitionId, StartSchedule? schedule, CancellationToken cancellationToken)
    {
        var jobKey = new JobKey(definitionId, Group);
        var triggerKey = new TriggerKey(definitionId, Group);
        if (schedule is null)
        {
            if (await scheduler.DeleteJob(jobKey, cancellationToken))
            {
                LogUnscheduled(logger, definitionId);
            }

            return;
        }

        // An unchanged trigger is kept, not replaced: replacing it would forget a firing missed while the server was down.
        if (await scheduler.GetTrigger(triggerKey, cancellationToken) is ICronTrigger current
            && current.CronExpressionString == schedule.Cron && current.TimeZone.Id == Zone.Id)
        {
            return;
        }

        var job = JobBuilder.Create<ScheduledStartJob>()
            .WithIdentity(jobKey)
            .UsingJobData(ScheduledStartJob.DefinitionIdKey, definitionId)
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(triggerKey)
            .ForJob(jobKey)
            // Misfire: a firing missed while no node ran (or every node was busy) fires once as soon as a node is up, then
            // the schedule goes on; several missed firings still make one start, not a burst.
            .WithSchedule(CronScheduleBuilder.Create(schedule.Cron).InTimeZone(Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
        LogScheduled(logger, definitionId, schedule.Cron, Zone.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow {DefinitionId} starts on the schedule '{Cron}' ({TimeZone})")]
    private static partial void LogScheduled(ILogger logger, string definitionId, string cron, string timeZone);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow {DefinitionId} no longer starts on a schedule")]
    private static partial void LogUnscheduled(ILogger logger, string definitionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workflow {DefinitionId} has the cron expression '{Cron}', which Quartz cannot read: it is not scheduled")]
    private static partial void LogInvalidCron(ILogger logger, string definitionId, string cron);
}
