using Microsoft.Extensions.Options;

namespace Yishi.Server.Proposals;

/// <summary>
/// Runs proposals while the server runs, one poll for all of them (they need no timer each). Everything it works from
/// is in the database, so a restart or another server process picks up where this one stopped.
/// </summary>
internal sealed partial class ProposalService(ProposalKeeper keeper, TimeProvider clock, IOptions<ProposalOptions> options, ILogger<ProposalService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await keeper.RunAsync(stoppingToken) == 0)
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
                // A database that went away for a moment must not stop proposals for good.
                LogFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The proposal loop failed; trying again in a second")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
