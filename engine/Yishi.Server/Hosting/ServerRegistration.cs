using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yishi.Engine;
using Yishi.Engine.EntityFrameworkCore;
using Yishi.Server.Audit;
using Yishi.Server.Consultations;
using Yishi.Server.Designer;
using Yishi.Server.Proposals;
using Yishi.Server.Ballots;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Notifications;
using Yishi.Server.Scheduling;

namespace Yishi.Server.Hosting;

/// <summary>Everything the server adds to the host, in one place; <c>Program.cs</c> only calls it.</summary>
internal static class ServerRegistration
{
    public const string LoginRateLimit = "login";
    private const string BearerOrCookie = "bearer-or-cookie";

    public static WebApplicationBuilder AddYishiServer(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var server = configuration.GetSection("Yishi").Get<ServerOptions>() ?? new ServerOptions();
        services.Configure<ServerOptions>(configuration.GetSection("Yishi"));

        var database = configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            database.ConnectionString = RepositoryPaths.SqliteConnectionString(builder.Environment.ContentRootPath, database.ConnectionString);
        }

        services.AddYishiEntityFrameworkCore(o =>
        {
            o.Provider = database.Provider;
            o.ConnectionString = database.ConnectionString;
        });
        // Before the engine, which otherwise takes the shipped calendar: cases count days with the administrators' changes.
        services.AddSingleton<Timers.OrgCalendars>();
        services.AddSingleton<Yishi.Engine.Time.IWorkingCalendar>(provider => provider.GetRequiredService<Timers.OrgCalendars>());
        services.AddYishiEngine();
        services.AddServerData(database.Provider);

        // Hosted services start in the order they are added: migrations must run before data protection reads its keys.
        services.AddHostedService<StartupWork>();
        services.AddHostedService<Timers.TimerService>();
        services.AddYishiSchedule(database);
        services.AddYishiNotifications(configuration, builder.Environment.ContentRootPath, server);
        services.AddAudit();
        services.AddConsultations(configuration);
        services.AddDesigner(configuration);
        services.AddProposals(configuration);
        Attachments.AttachmentRegistration.AddAttachments(services, configuration);
        services.AddDataProtection().SetApplicationName("Yishi").PersistKeysToDbContext<ServerDbContext>();
        services.AddIdentityCore<YishiUser>(o =>
            {
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Password.RequiredLength = 8;
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ServerDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<YishiClaimsFactory>()
            .AddDefaultTokenProviders();
        services.AddOneTimeCodes(configuration);
        services.AddBallots();
        services.AddSingleton<CaseFiles.CaseJournal>();
        services.AddScoped<Sessions.SessionNotices>();

        // Browsers get a cookie, API clients a bearer token; a request is read by whichever it carries.
        services.AddAuthentication(BearerOrCookie)
            .AddPolicyScheme(BearerOrCookie, BearerOrCookie, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeys.ApiKeyAuthenticationHandler.Header) ? ApiKeys.ApiKeyAuthenticationHandler.SchemeName
                : context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? IdentityConstants.BearerScheme
                : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeys.ApiKeyAuthenticationHandler>(ApiKeys.ApiKeyAuthenticationHandler.SchemeName, null)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromMinutes(server.AccessTokenMinutes))
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.Cookie.Name = "yishi";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // An API answers 401/403; it never redirects to a login page.
                // The web pages are for people: they go to a sign-in page.
                o.Events.OnRedirectToLogin = context => Designer.DesignerHosting.IsWebPage(context.Request)
                    ? Redirect(context, Designer.DesignerHosting.LoginPage(context.Request) + "?returnUrl="
                        + Uri.EscapeDataString(context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString))
                    : Status(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Designer.DesignerHosting.IsWebPage(context.Request)
                    ? Redirect(context, Designer.DesignerHosting.LoginPage(context.Request) + "?denied=1")
                    : Status(context, StatusCodes.Status403Forbidden);
            }));
        services.AddAuthorizationBuilder()
            // People only: an integrator's API key has no inbox, profile or session.
            .AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.Identity?.AuthenticationType != ApiKeys.ApiKeyAuthenticationHandler.SchemeName))
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.Staff))
            .AddPolicy(Policies.Design, p => p.RequireRole(Roles.Admin, Roles.Designer))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Supervise, p => p.RequireRole(Roles.Admin, Roles.Supervisor))
            .AddPolicy(Policies.RevealParties, p => p.RequireRole(Roles.Mediator, Roles.Supervisor))
            .AddPolicy(Policies.Officiate, p => p.RequireRole(Roles.Admin, Roles.Officer))
            // Integrators' API keys carry permissions instead of roles.
            .AddPolicy(Policies.StartInstances, p => p.RequireAssertion(c => StaffOr(c.User, ApiKeys.ApiKeyPermissions.StartInstances)))
            // Residents read the cases they are party to; the endpoints narrow what each caller sees.
            .AddPolicy(Policies.ReadInstances, p => p.RequireAssertion(c => StaffOr(c.User, ApiKeys.ApiKeyPermissions.ReadInstances) || c.User.IsInRole(Roles.Resident)))
            .AddPolicy(Policies.PublishMessages, p => p.RequireAssertion(c => StaffOr(c.User, ApiKeys.ApiKeyPermissions.PublishMessages)));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Guessing passwords from one address is slowed to 10 tries a minute; lockout covers slow guessing per account.
            o.AddPolicy(LoginRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = server.MaxRequestBytes);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Answers the framework writes itself (401, 403, 404, 413…) get a stable type too.
            if (context.ProblemDetails.Type is null || context.ProblemDetails.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
            {
                context.ProblemDetails.Type = "urn:yishi:problem:http-" + context.ProblemDetails.Status;
            }
        });
        services.AddOpenApi(OpenApiDescription.Configure);
        services.AddHealthChecks().AddDbContextCheck<ServerDbContext>("database");
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddSingleton<OrgUnits.OrgUnitDirectory>();
        services.AddSingleton<Definitions.DefinitionOwners>();
        services.AddScoped<OrgUnits.OrgScope>();
        services.AddScoped<Demo.DemoData>();
        services.AddScoped<Definitions.ShippedWorkflows>();
        services.AddScoped<Inbox.Notices>();
        services.AddSingleton<Rehearsals.RehearsalRoom>();
        services.AddSingleton<Rehearsals.RehearsalMessages>();
        services.AddScoped<Templates.ShippedTemplates>();
        services.AddScoped<Residents.ResidentImport>();
        return builder;
    }

    private static bool StaffOr(System.Security.Claims.ClaimsPrincipal user, string permission) =>
        Roles.Staff.Any(user.IsInRole) || user.HasClaim(ApiKeys.ApiKeyPermissions.ClaimType, permission);

    private static Task Status(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static Task Redirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, string location)
    {
        context.Response.Redirect(location);
        return Task.CompletedTask;
    }
}
