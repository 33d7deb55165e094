using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yishi.Engine.Activities;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Time;

namespace Yishi.Engine;

/// <summary>Registers the engine: the one way to add it to a host.</summary>
public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="WorkflowRuntime"/>. A store must be registered too (an adapter's own
    /// <c>Add…</c>, or <see cref="InMemoryWorkflowStore"/> for a throw-away one). Activity types from other
    /// features are registered as <see cref="Activity"/> singletons and join the built-in ones.
    /// </summary>
    public static IServiceCollection AddYishiEngine(this IServiceCollection services, Action<WorkflowRuntimeOptions>? configure = null)
    {
        var options = services.AddOptions<WorkflowRuntimeOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWorkingCalendar>(WorkingCalendar.China);
        services.TryAddSingleton(provider =>
        {
            var registry = new ActivityRegistryBuilder();
            foreach (var activity in provider.GetServices<Activity>())
            {
                registry.Add(activity);
            }

            return registry.Build();
        });
        services.TryAddSingleton(provider => new WorkflowRuntime(
            provider.GetRequiredService<IWorkflowStore>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<WorkflowRuntimeOptions>>().Value,
            provider.GetRequiredService<ActivityRegistry>(),
            provider.GetRequiredService<IWorkingCalendar>(),
            provider.GetService<ILogger<WorkflowRuntime>>()));
        return services;
    }
}
