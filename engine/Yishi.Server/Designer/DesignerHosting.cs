using Yishi.Designer;
using Yishi.Designer.Api;

namespace Yishi.Server.Designer;

/// <summary>
/// Serves the web UI (Blazor, <c>designer/Yishi.Designer</c>): the designer, the workbench, the dashboard and the admin
/// pages as live pages, and the resident portal (<c>/me</c>) as plain server-rendered pages.
/// </summary>
internal static class DesignerHosting
{
    private static readonly string[] StaffAreas = ["/" + WebAreas.Designer, "/" + WebAreas.Workbench, "/" + WebAreas.Dashboard, "/" + WebAreas.Admin, "/login"];

    public static IServiceCollection AddDesigner(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DesignerOptions>(configuration.GetSection("Yishi:Designer"));
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddHttpClient(DesignerBackend.ClientName);
        services.AddScoped<IDesignerBackend, DesignerBackend>();
        services.AddSingleton<PortalSignInLimiter>();
        services.AddScoped<IResidentSignIn, ResidentSignIn>();
        services.AddYishiDesigner();
        return services;
    }

    public static WebApplication MapDesigner(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<Yishi.Designer.Components.App>().AddInteractiveServerRenderMode();
        // The portal's language link: plain pages have no script to set the cookie, so the server sets it and goes back.
        app.MapGet("/language/{locale}", (string locale, string? returnUrl, HttpContext context) =>
        {
            context.Response.Cookies.Append(PageText.CookieName, PageText.FromCookie(locale),
                new CookieOptions { Path = "/", MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Strict, HttpOnly = false });
            return TypedResults.LocalRedirect("/" + WebAreas.SafeReturn(returnUrl, WebAreas.Portal));
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Whether a request is for a page for people, which sends them to sign in instead of answering 401.</summary>
    public static bool IsWebPage(HttpRequest request) =>
        request.Path == "/" || IsPortalPage(request) || StaffAreas.Any(area => request.Path.StartsWithSegments(area, StringComparison.Ordinal));

    /// <summary>Whether a request is for the resident portal, whose sign-in page is its own.</summary>
    public static bool IsPortalPage(HttpRequest request) => request.Path.StartsWithSegments("/" + WebAreas.Portal, StringComparison.Ordinal);

    /// <summary>The sign-in page for a page: the portal's for residents, the staff one for the rest.</summary>
    public static string LoginPage(HttpRequest request) => IsPortalPage(request) ? "/me/login" : "/login";
}
