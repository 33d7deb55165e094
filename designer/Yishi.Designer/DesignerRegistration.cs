using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Yishi.Designer.Api;

namespace Yishi.Designer;

/// <summary>Adds the designer's services; the host provides <see cref="IDesignerBackend"/>.</summary>
public static class DesignerRegistration
{
    public static IServiceCollection AddYishiDesigner(this IServiceCollection services)
    {
        // The resident portal's client of the API.
        services.AddScoped<PortalApi>();
        services.AddMudServices();
        services.AddScoped<PageText>();
        services.AddScoped<DesignerApi>();
        services.AddScoped<CaseFileApi>();
        services.AddScoped<AdminApi>();
        services.AddScoped<DashboardApi>();
        services.AddScoped<WorkbenchApi>();
        return services;
    }
}
