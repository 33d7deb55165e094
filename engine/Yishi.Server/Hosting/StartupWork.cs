using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Engine.EntityFrameworkCore;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Definitions;
using Yishi.Server.Demo;
using Yishi.Server.Identity;

namespace Yishi.Server.Hosting;

/// <summary>
/// What happens before the server answers, one process at a time (<see cref="DatabaseLock"/>): schema migrations,
/// roles, the first admin, demo data in demo mode, the shipped workflows and templates, and outbox rows left from before a restart.
/// </summary>
internal sealed partial class StartupWork(IServiceProvider services, IOptions<ServerOptions> options, IHostEnvironment environment, ILogger<StartupWork> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<YishiDatabase>();
        // Two nodes starting together would otherwise both find no roles, demo data or admin, and both insert them.
        await using var startupLock = await DatabaseLock.AcquireAsync(database, "yishi-server-startup", cancellationToken);
        await database.MigrateAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        await provider.GetRequiredService<ServerDbContext>().Database.MigrateAsync(cancellationToken);

        var roles = provider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        if (options.Value.DemoMode)
        {
            await provider.GetRequiredService<DemoData>().SeedAsync(cancellationToken);
        }

        // The demo seed may just have made the tree.
        services.GetRequiredService<OrgUnits.OrgUnitDirectory>().Invalidate();
        await FirstAdmin.EnsureAsync(provider, options.Value.AdminPassword, logger, cancellationToken);
        var folder = RepositoryPaths.Resolve(environment.ContentRootPath, options.Value.WorkflowsFolder);
        await provider.GetRequiredService<ShippedWorkflows>().ImportAsync(folder, cancellationToken);
        var templates = RepositoryPaths.Resolve(environment.ContentRootPath, options.Value.TemplatesFolder);
        await provider.GetRequiredService<Templates.ShippedTemplates>().ImportAsync(templates, cancellationToken);
        await services.GetRequiredService<WorkflowRuntime>().DispatchOutboxAsync(cancellationToken);
        await services.GetRequiredService<Timers.OrgCalendars>().RefreshAsync(cancellationToken);
        Timers.CalendarEndpoints.WarnAboutUncoveredYears(services.GetRequiredService<Timers.OrgCalendars>(), services.GetRequiredService<TimeProvider>(), logger);
        LogReady(logger, options.Value.DemoMode);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Yishi is ready (demo mode: {DemoMode})")]
    private static partial void LogReady(ILogger logger, bool demoMode);
}
