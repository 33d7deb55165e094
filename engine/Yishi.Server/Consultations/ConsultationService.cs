using Microsoft.Extensions.Options;

namespace Yishi.Server.Consultations;

/// <summary>
/// Runs consultations while the server runs: opens those the engine asked for, closes those whose time is up, and
/// passes published summaries on to their cases. Everything it works from is in the database, so a restart (or
/// another server process) picks up where this one stopped.
/// </summary>
internal sealed partial class ConsultationService(ConsultationOpener opener, ConsultationCloser closer, ConsultationSummaries summaries, TimeProvider clock,
    IOptions<ConsultationOptions> options, ILogger<ConsultationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var busy = await opener.OpenAsync(stoppingToken) + await closer.CloseDueAsync(stoppingToken) + await summaries.ResumePendingAsync(stoppingToken);
                if (busy == 0)
                {
                    await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // A database that went away for a moment must not stop consultations for good.
                LogFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The consultation loop failed; trying again in a second")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
