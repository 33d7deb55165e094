using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Yishi.Server.Tests.Support;

/// <summary>
/// The real server (<c>Program</c>) in memory, on a database and a workflows folder of the test's own, in demo
/// mode (users admin, staff, mediator, mediator2, supervisor, reviewer, officer, resident1…20; password
/// <see cref="DemoPassword"/>).
/// </summary>
/// <remarks><paramref name="settings"/> adds configuration (an SMTP port, the SMS gateway…); every log line is kept in <see cref="Logs"/>.</remarks>
public sealed class YishiFactory(string provider, string connectionString, string workflowsFolder, string templatesFolder,
    IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Demo123!";

    // One sign-in per user and server: the login endpoint allows 10 tries a minute from one address.
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _tokens = new(StringComparer.Ordinal);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", provider);
        builder.UseSetting("Database:ConnectionString", connectionString);
        builder.UseSetting("Yishi:DemoMode", "true");
        builder.UseSetting("Yishi:WorkflowsFolder", workflowsFolder);
        builder.UseSetting("Yishi:TemplatesFolder", templatesFolder);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        // Seeding 27 demo users with 100,000 PBKDF2 rounds each costs seconds per server; the hash is not under test here.
        builder.ConfigureTestServices(services =>
        {
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1);
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        });
    }

    /// <summary>Every line the server logged (at the configured levels).</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous() => CreateClient();

    /// <summary>A client that sends the bearer token of <paramref name="userName"/>.</summary>
    public async Task<HttpClient> ClientForAsync(string userName, CancellationToken cancellationToken)
    {
        var token = await _tokens.GetOrAdd(userName, name => new Lazy<Task<string>>(() => SignInAsync(name, cancellationToken))).Value;
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>POST /api/auth/login.</summary>
    public async Task<HttpResponseMessage> LogInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        return await client.PostAsJsonAsync("/api/auth/login", new { userName, password }, cancellationToken);
    }

    private async Task<string> SignInAsync(string userName, CancellationToken cancellationToken)
    {
        using var response = await LogInAsync(userName, DemoPassword, cancellationToken);
        var body = await response.ReadJsonAsync(System.Net.HttpStatusCode.OK, cancellationToken);
        return body["accessToken"]!.GetValue<string>();
    }
}
