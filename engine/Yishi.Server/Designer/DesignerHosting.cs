using Yishi.Designer;
using Yishi.Designer.Api;

namespace Yishi.Server.Designer;

/// <summary>Serves the visual designer (Blazor, <c>designer/Yishi.Designer</c>) under <c>/designer</c>.</summary>
internal static class DesignerHosting
{
    public const string PathPrefix = "/designer";

    public static IServiceCollection AddDesigner(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DesignerOptions>(configuration.GetSection("Yishi:Designer"));
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddHttpClient(DesignerBackend.ClientName);
        services.AddScoped<IDesignerBackend, DesignerBackend>();
        services.AddYishiDesigner();
        return services;
    }

    public static WebApplication MapDesigner(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<Yishi.Designer.Components.App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>Whether a request is for the designer's pages, which send people to sign in instead of answering 401.</summary>
    public static bool IsDesignerPage(HttpRequest request) => request.Path.StartsWithSegments(PathPrefix, StringComparison.Ordinal);
}
