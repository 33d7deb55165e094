using Microsoft.Extensions.Options;
using Yishi.Engine.Runtime;

namespace Yishi.Server.Timers;

/// <summary>
/// Fires the engine's timers (Delay, Until) while the server runs. Timers that fell due while it was down fire
/// at its first sweep, once each, earliest first. With several servers on one database each sweeps; a timer
/// still resumes its instance once, because the second resume of a bookmark is refused.
/// </summary>
internal sealed partial class TimerService(WorkflowRuntime runtime, TimeProvider clock, IOptions<WorkflowRuntimeOptions> options, ILogger<TimerService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Firing timers failed; trying again in a second")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
