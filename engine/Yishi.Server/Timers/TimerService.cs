using Microsoft.Extensions.Options;
using Yishi.Engine.Runtime;

namespace Yishi.Server.Timers;

/// <summary>
/// Fires the engine's timers (Delay, Until) and raises tasks' deadline warnings while the server runs, and
/// passes the warnings on to people's inboxes. Timers that fell due while it was down fire
/// at its first sweep, once each, earliest first. With several servers on one database each sweeps; a timer
/// still resumes its instance once, because the second resume of a bookmark is refused.
/// </summary>
internal sealed partial class TimerService(WorkflowRuntime runtime, DeadlineNotices deadlines, OrgCalendars calendars, TimeProvider clock,
    IOptions<WorkflowRuntimeOptions> options, ILogger<TimerService> logger) : BackgroundService
{
    private static readonly TimeSpan NoticeInterval = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SweepAsync(stoppingToken), PassOnDeadlinesAsync(stoppingToken));

    /// <summary>Deadline warnings reach people's inboxes within a second or so; rows left by a crash are picked up too.</summary>
    private async Task PassOnDeadlinesAsync(CancellationToken stoppingToken)
    {
        var calendarLoaded = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await deadlines.DeliverAsync(stoppingToken);
                // Calendar changes made through another server process reach this one within the freshness.
                if (clock.GetUtcNow() - calendarLoaded > OrgCalendars.Freshness)
                {
                    await calendars.RefreshAsync(stoppingToken);
                    calendarLoaded = clock.GetUtcNow();
                }

                await Task.Delay(NoticeInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogNoticesFailed(logger, exception);
                await Task.Delay(NoticeInterval, clock, stoppingToken);
            }
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        var sweeper = new TimerSweeper(runtime, clock, options.Value.TimerPollInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await sweeper.RunAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A database that went away for a moment must not stop the timers for good.
                LogSweepFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Passing deadline warnings on failed; trying again in a second")]
    private static partial void LogNoticesFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Firing timers failed; trying again in a second")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
