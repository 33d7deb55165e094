using Quartz;
using Yishi.Engine.EntityFrameworkCore;

namespace Yishi.Server.Scheduling;

/// <summary>
/// Runs after the start-up work and before Quartz's hosted service starts the scheduler: builds the scheduler, which
/// creates Quartz's missing tables, and reconciles the triggers with the published definitions, so nothing depends
/// on a publish having happened in this process.
/// </summary>
internal sealed class ScheduleStartup(ISchedulerFactory schedulers, ScheduledStarts starts, YishiDatabase database) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Quartz tolerates racing nodes itself; the lock also keeps two nodes from reconciling the same triggers at once.
        await using (await DatabaseLock.AcquireAsync(database, "yishi-quartz-schema", cancellationToken))
        {
            await schedulers.GetScheduler(cancellationToken);
            await starts.ReconcileAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
