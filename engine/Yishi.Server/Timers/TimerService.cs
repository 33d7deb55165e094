using Microsoft.Extensions.Options;
using Yishi.Engine.Runtime;

namespace Yishi.Server.Timers;

/// <summary>
/// Fires the engine's timers (Delay, Until) and raises tasks' deadline warnings while the server runs (the
/// notification pipeline sends the warnings, with the <c>task/deadline</c> template). Timers that fell due while it was down fire
/// at its first sweep, once each, earliest first. With several servers on one database each sweeps; a timer
/// still resumes its instance once, because the second resume of a bookmark is refused.
/// </summary>
internal sealed partial class TimerService(WorkflowRuntime runtime, OrgCalendars calendars, TimeProvider clock,
    IOptions<WorkflowRuntimeOptions> options, ILogger<TimerService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SweepAsync(stoppingToken), RefreshCalendarsAsync(stoppingToken));

    /// <summary>Calendar changes made through another server process reach this one within the freshness.</summary>
    private async Task RefreshCalendarsAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(OrgCalendars.Freshness, clock, stoppingToken);
                await calendars.RefreshAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogRefreshFailed(logger, exception);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading the working calendar failed; trying again later")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Firing timers failed; trying again in a second")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
