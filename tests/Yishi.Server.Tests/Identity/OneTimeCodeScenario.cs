using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Data;
using Yishi.Server.Tests.Support;
using Yishi.Testing;

namespace Yishi.Server.Tests.Identity;

public sealed class SqliteOneTimeCode : OneTimeCodeScenario<SqliteTestDatabase>;

public sealed class PostgreSqlOneTimeCode : OneTimeCodeScenario<PostgreSqlTestDatabase>;

/// <summary>
/// Residents sign in and reset their password with a code sent by SMS, through the real server and a local SMS
/// gateway: a code works once, for a few minutes and five tries; a phone gets one a minute; unknown phones are
/// answered like known ones; the code is neither stored nor logged.
/// </summary>
public abstract class OneTimeCodeScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    // resident1 and resident2 of the demo data.
    private const string Phone1 = "13800000001";
    private const string Phone2 = "13800000002";
    private const string UnknownPhone = "13999999999";
    private const string SmsKeyId = "yishi-test";
    private const string SmsSecret = "s3cret";

    [Fact]
    public async Task SignInCode_SentBySms_SignsInOnce()
    {
        await using var sms = await FakeSmsGateway.StartAsync(SmsKeyId, SmsSecret, cancellationToken: Ct);
        var (server, _, _) = Start(sms);

        using var asked = await AskAsync(server, Phone1, "signin");
        var code = SingleCode(sms, Phone1);
        using var signedIn = await SignInAsync(server, Phone1, code);
        using var again = await SignInAsync(server, Phone1, code);

        Assert.Equal(300, (await asked.ReadJsonAsync(HttpStatusCode.Accepted, Ct))["expiresInSeconds"]?.GetValue<int>());
        var token = (await signedIn.ReadJsonAsync(HttpStatusCode.OK, Ct))["accessToken"]!.GetValue<string>();
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var me = await client.GetAsync("/api/me", Ct);
        Assert.Equal("resident1", (await me.ReadJsonAsync(HttpStatusCode.OK, Ct))["userName"]?.GetValue<string>());
        await again.ReadProblemAsync(HttpStatusCode.Unauthorized, "code-invalid", Ct);
    }

    [Fact]
    public async Task FiveWrongCodes_ThenTheRightOne_Returns401()
    {
        await using var sms = await FakeSmsGateway.StartAsync(SmsKeyId, SmsSecret, cancellationToken: Ct);
        var (server, _, _) = Start(sms);
        using (var asked = await AskAsync(server, Phone1, "signin"))
        {
            await asked.ReadJsonAsync(HttpStatusCode.Accepted, Ct);
        }

        var code = SingleCode(sms, Phone1);
        var wrong = ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var guessed = await SignInAsync(server, Phone1, wrong);
            await guessed.ReadProblemAsync(HttpStatusCode.Unauthorized, "code-invalid", Ct);
        }

        using var right = await SignInAsync(server, Phone1, code);

        await right.ReadProblemAsync(HttpStatusCode.Unauthorized, "code-invalid", Ct);
    }

    [Fact]
    public async Task SecondCodeWithinAMinute_Returns429AndSendsOne()
    {
        await using var sms = await FakeSmsGateway.StartAsync(SmsKeyId, SmsSecret, cancellationToken: Ct);
        var (server, _, clock) = Start(sms);
        using (var first = await AskAsync(server, Phone1, "signin"))
        {
            await first.ReadJsonAsync(HttpStatusCode.Accepted, Ct);
        }

        clock.Advance(TimeSpan.FromSeconds(59));
        using var second = await AskAsync(server, Phone1, "reset");

        await second.ReadProblemAsync(HttpStatusCode.TooManyRequests, "code-too-soon", Ct);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Headers.RetryAfter?.Delta);
        Assert.Single(sms.Delivered);
        clock.Advance(TimeSpan.FromSeconds(1));
        using var third = await AskAsync(server, Phone1, "reset");
        await third.ReadJsonAsync(HttpStatusCode.Accepted, Ct);
        Assert.Equal(2, sms.Delivered.Count);
    }

    [Fact]
    public async Task SixthCodeInAnHour_Returns429_AndOnlyTheNewestCodeWorks()
    {
        await using var sms = await FakeSmsGateway.StartAsync(SmsKeyId, SmsSecret, cancellationToken: Ct);
        var (server, _, clock) = Start(sms);
        for (var ask = 1; ask <= 5; ask++)
        {
            using var asked = await AskAsync(server, Phone1, "signin");
            await asked.ReadJsonAsync(HttpStatusCode.Accepted, Ct);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        using var sixth = await AskAsync(server, Phone1, "signin");
        var codes = sms.Delivered.Select(m => m.Params["code"]).ToList();
        using var older = await SignInAsync(server, Phone1, codes[^2]);
        using var newest = await SignInAsync(server, Phone1, codes[^1]);

        await sixth.ReadProblemAsync(HttpStatusCode.TooManyRequests, "too-many-codes", Ct);
        Assert.Equal(TimeSpan.FromMinutes(55), sixth.Headers.RetryAfter?.Delta);
        Assert.Equal(5, codes.Count);
        await older.ReadProblemAsync(HttpStatusCode.Unauthorized, "code-invalid", Ct);
        await newest.ReadJsonAsync(HttpStatusCode.OK, Ct);
    }

    [Fact]
    public async Task UnknownPhone_Returns202AndSendsNothing_AndIsLimitedLikeAKnownOne()
    {
        await using var sms = await FakeSmsGateway.StartAsync(SmsKeyId, SmsSecret, cancellationToken: Ct);
        var (server, _, _) = Start(sms);

        using var asked = await AskAsync(server, UnknownPhone, "signin");
        using var again = await AskAsync(server, UnknownPhone, "signin");
        using var guessed = await SignInAsync(server, UnknownPhone, "123456");

        Assert.Equal(300, (await asked.ReadJsonAsync(HttpStatusCode.Accepted, Ct))["expiresInSeconds"]?.GetValue<int>());
        await again.ReadProblemAsync(HttpStatusCode.TooManyRequests, "code-too-soon", Ct);
        await guessed.ReadProblemAsync(HttpStatusCode.Unauthorized, "code-invalid", Ct);
        Assert.Empty(sms.Delivered);
        Assert.Empty(sms.Requests);
    }

    [Fact]
    public async Task PasswordReset_WithCode_ThenTheNewPasswordSignsIn()
    {
        await using var sms = await FakeSmsGateway.StartAsync(SmsKeyId, SmsSecret, cancellationToken: Ct);
        var (server, _, _) = Start(sms);
        using (var asked = await AskAsync(server, Phone2, "reset"))
        {
            await asked.ReadJsonAsync(HttpStatusCode.Accepted, Ct);
        }

        var code = SingleCode(sms, Phone2);
        using var client = server.CreateClient();

        // A password the rules refuse leaves the code usable.
        using var refused = await client.PostAsJsonAsync("/api/auth/password/reset", new { phone = Phone2, code, newPassword = "short" }, Ct);
        using var reset = await client.PostAsJsonAsync("/api/auth/password/reset", new { phone = Phone2, code, newPassword = "Neues-Passwort-2" }, Ct);
        using var oldPassword = await client.PostAsJsonAsync("/api/auth/login", new { userName = "resident2", password = YishiFactory.DemoPassword }, Ct);
        using var newPassword = await client.PostAsJsonAsync("/api/auth/login", new { userName = "resident2", password = "Neues-Passwort-2" }, Ct);

        await refused.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "password-rejected", Ct);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await oldPassword.ReadProblemAsync(HttpStatusCode.Unauthorized, "sign-in-failed", Ct);
        Assert.NotNull((await newPassword.ReadJsonAsync(HttpStatusCode.OK, Ct))["accessToken"]);
    }

    [Fact]
    public async Task SignInCode_AfterItsFiveMinutes_Returns401()
    {
        await using var sms = await FakeSmsGateway.StartAsync(SmsKeyId, SmsSecret, cancellationToken: Ct);
        var (server, _, clock) = Start(sms);
        using (var asked = await AskAsync(server, Phone1, "signin"))
        {
            await asked.ReadJsonAsync(HttpStatusCode.Accepted, Ct);
        }

        clock.Advance(TimeSpan.FromMinutes(5));
        using var late = await SignInAsync(server, Phone1, SingleCode(sms, Phone1));

        await late.ReadProblemAsync(HttpStatusCode.Unauthorized, "code-invalid", Ct);
    }

    [Fact]
    public async Task Code_IsNeitherStoredNorLogged_NorIsThePhone()
    {
        await using var sms = await FakeSmsGateway.StartAsync(SmsKeyId, SmsSecret, cancellationToken: Ct);
        var (server, host, _) = Start(sms);
        using (var asked = await AskAsync(server, Phone1, "signin"))
        {
            await asked.ReadJsonAsync(HttpStatusCode.Accepted, Ct);
        }

        var code = SingleCode(sms, Phone1);
        using (var signedIn = await SignInAsync(server, Phone1, code))
        {
            await signedIn.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var userId = await db.Users.Where(u => u.UserName == "resident1").Select(u => u.Id).SingleAsync(Ct);
        var row = await db.OneTimeCodes.SingleAsync(c => c.UserId == userId, Ct);
        Assert.Matches("^[0-9a-f]{64}$", row.CodeHash);
        Assert.DoesNotContain(code, row.CodeHash, StringComparison.Ordinal);
        Assert.NotNull(row.UsedAt);
        var lines = host.Logs.Lines;
        // The lines are there (masked), so their absence below is not just an empty log.
        Assert.Contains(lines, l => l.Contains("138****0001", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(code, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(Phone1, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GatewayRefuses_Returns503_AndTheCodeDoesNotCount()
    {
        await using var sms = await FakeSmsGateway.StartAsync(SmsKeyId, SmsSecret, cancellationToken: Ct);
        var (server, _, _) = Start(sms);
        sms.FailNext(1, 400);

        using var refused = await AskAsync(server, Phone1, "signin");
        using var again = await AskAsync(server, Phone1, "signin");

        await refused.ReadProblemAsync(HttpStatusCode.ServiceUnavailable, "sms-unavailable", Ct);
        // Not 429: the code that was not sent was deleted, so it does not count towards the limit.
        await again.ReadJsonAsync(HttpStatusCode.Accepted, Ct);
        using var signedIn = await SignInAsync(server, Phone1, SingleCode(sms, Phone1));
        await signedIn.ReadJsonAsync(HttpStatusCode.OK, Ct);
    }

    [Fact]
    public async Task WithoutSmsGateway_Returns503()
    {
        var (server, _, _) = Start(sms: null);

        using var asked = await AskAsync(server, Phone1, "signin");

        await asked.ReadProblemAsync(HttpStatusCode.ServiceUnavailable, "sms-unavailable", Ct);
    }

    [Fact]
    public async Task MalformedRequest_Returns400()
    {
        await using var sms = await FakeSmsGateway.StartAsync(SmsKeyId, SmsSecret, cancellationToken: Ct);
        var (server, _, _) = Start(sms);

        using var noPurpose = await AskAsync(server, Phone1, "guess");
        using var notAPhone = await AskAsync(server, "call me", "signin");

        await noPurpose.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        await notAPhone.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        Assert.Empty(sms.Requests);
    }

    /// <summary>
    /// A server with the shipped <c>auth/</c> templates, the gateway (if any), Yishi's own log lines at Information,
    /// and a clock the test moves.
    /// </summary>
    private (WebApplicationFactory<Program> Server, YishiFactory Host, ManualClock Clock) Start(FakeSmsGateway? sms)
    {
        CopyAuthTemplates(TemplatesFolder);
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        };
        if (sms is not null)
        {
            settings["Yishi:Sms:Url"] = sms.Url.ToString();
            settings["Yishi:Sms:KeyId"] = SmsKeyId;
            settings["Yishi:Sms:Secret"] = SmsSecret;
        }

        var host = NewServer(settings);
        var clock = new ManualClock();
        // The derived server runs the host's configuration first (its log capture included), then swaps the clock.
        var server = host.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        return (server, host, clock);
    }

    private static async Task<HttpResponseMessage> AskAsync(WebApplicationFactory<Program> server, string phone, string purpose)
    {
        using var client = server.CreateClient();
        return await client.PostAsJsonAsync("/api/auth/codes", new { phone, purpose }, Ct);
    }

    private static async Task<HttpResponseMessage> SignInAsync(WebApplicationFactory<Program> server, string phone, string code)
    {
        using var client = server.CreateClient();
        return await client.PostAsJsonAsync("/api/auth/login/code", new { phone, code }, Ct);
    }

    /// <summary>The code of the one message delivered: the shipped template has an SMS template code, so it travels as a parameter.</summary>
    private static string SingleCode(FakeSmsGateway sms, string phone)
    {
        var message = Assert.Single(sms.Delivered, m => m.To == phone);
        Assert.Equal("SMS_YS_AUTH_CODE", message.TemplateCode);
        Assert.Equal("5", message.Params["minutes"]);
        Assert.StartsWith("otp:", message.Id, StringComparison.Ordinal);
        var code = message.Params["code"];
        Assert.Matches("^[0-9]{6}$", code);
        return code;
    }

    private static void CopyAuthTemplates(string folder)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Workflow.sln")))
        {
            root = root.Parent;
        }

        var source = Path.Combine(root?.FullName ?? throw new InvalidOperationException("No Workflow.sln above the test output."), "templates");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(source, "auth"), "*.scriban", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
