namespace Yishi.Server.Notifications;

/// <summary>
/// Runs the notification pipeline while the server runs: plans the engine's Notify rows into deliveries, renders
/// documents, sends what is due, and makes the daily digests. Everything it works from is in the database, so a
/// restart picks up where the last process stopped.
/// </summary>
internal sealed partial class NotificationService(NotificationPlanner planner, Documents.DocumentWriter documents, DeliveryDispatcher dispatcher, DailyDigest digest,
    TimeProvider clock, Microsoft.Extensions.Options.IOptions<NotificationOptions> options, ILogger<NotificationService> logger) : BackgroundService
{
    private static readonly TimeSpan DigestInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var digestChecked = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var busy = await planner.PlanAsync(stoppingToken) + await documents.WriteAsync(stoppingToken) + await dispatcher.DispatchAsync(stoppingToken);
                if (clock.GetUtcNow() - digestChecked > DigestInterval)
                {
                    await digest.CollectAsync(clock.GetUtcNow(), stoppingToken);
                    digestChecked = clock.GetUtcNow();
                }

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
                // A database that went away for a moment must not stop notifications for good.
                LogFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The notification pipeline failed; trying again in a second")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
