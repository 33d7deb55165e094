namespace Yishi.Server.Ballots;

/// <summary>Adds ballots: the vote writer, the life-cycle loop, counting and reminders.</summary>
internal static class BallotRegistration
{
    public static IServiceCollection AddBallots(this IServiceCollection services)
    {
        services.AddSingleton<VoteWriter>();
        services.AddSingleton<BallotDirectory>();
        // The engine's expression sandbox, so a custom rule counts with the same limits as every other expression.
        services.AddSingleton(provider => new BallotCounter(provider.GetRequiredService<Yishi.Engine.Runtime.WorkflowRuntime>().Expressions));
        services.AddSingleton<BallotLifecycle>();
        services.AddScoped<BallotReminders>();
        services.AddHostedService<BallotService>();
        return services;
    }
}

/// <summary>Runs <see cref="BallotLifecycle"/> about once a second: one loop for every ballot, not a timer per voter.</summary>
internal sealed partial class BallotService(BallotLifecycle lifecycle, TimeProvider clock, ILogger<BallotService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await lifecycle.StepAsync(stoppingToken) == 0)
                {
                    await Task.Delay(Interval, clock, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogFailed(logger, exception);
                await Task.Delay(Interval, clock, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The ballot loop failed; trying again in a second")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
