using Microsoft.EntityFrameworkCore;
using Quartz;
using Yishi.Engine.Execution;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.OrgUnits;

namespace Yishi.Server.Scheduling;

/// <summary>
/// A firing of a definition's schedule: starts an instance of its newest published version as the system, scoped to
/// the org unit that owns the definition, so the owners' staff see the case as if one of them had started it.
/// </summary>
internal sealed partial class ScheduledStartJob(IServiceScopeFactory scopes, WorkflowRuntime runtime, OrgUnitDirectory orgUnits, ILogger<ScheduledStartJob> logger) : IJob
{
    public const string DefinitionIdKey = "definitionId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var definitionId = context.MergedJobDataMap.GetString(DefinitionIdKey) ?? context.JobDetail.Key.Name;
        string? owner;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
            owner = await db.DefinitionOwnerships.AsNoTracking().Where(o => o.DefinitionId == definitionId).Select(o => o.OrgUnitId).FirstOrDefaultAsync(cancellationToken);
        }

        var path = owner is null ? null : await orgUnits.PathOfAsync(owner, cancellationToken);
        var result = await runtime.StartAsync(new StartRequest(definitionId, Actor: Actor.System, Scope: path), cancellationToken);
        if (result.Succeeded)
        {
            LogStarted(logger, definitionId, result.InstanceId, context.ScheduledFireTimeUtc);
        }
        else
        {
            // Not retried: the next firing tries again, and a retry storm would not mend a retired or broken definition.
            LogNotStarted(logger, definitionId, result.Status.ToString(), result.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled start of {DefinitionId}: instance {InstanceId} (due {DueAt})")]
    private static partial void LogStarted(ILogger logger, string definitionId, string? instanceId, DateTimeOffset? dueAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled start of {DefinitionId} did not start an instance: {Status} {Reason}")]
    private static partial void LogNotStarted(ILogger logger, string definitionId, string status, string? reason);
}
