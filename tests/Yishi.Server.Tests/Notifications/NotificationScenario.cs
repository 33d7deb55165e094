using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using netDumbster.smtp;
using Yishi.Server.Notifications;
using Yishi.Server.Tests.Support;
using Yishi.Testing;

namespace Yishi.Server.Tests.Notifications;

public sealed class SqliteNotificationScenario : NotificationScenario<SqliteTestDatabase>;

public sealed class PostgreSqlNotificationScenario : NotificationScenario<PostgreSqlTestDatabase>;

/// <summary>
/// A Notify in a real workflow, through the real outbox, to a real SMTP server and a local SMS gateway: each
/// person gets each message once, on their channels, in the inbox too; failures wait and are retried.
/// </summary>
public abstract class NotificationScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const string Phone = "13900001111";
    private const string Email = "zhang@example.org";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly string[] MessageParts = ["title", "body", "sms", "sms-params", "subject", "html", "text"];

    private static readonly string[] EmailOnly = ["email"];

    private readonly int _smtpPort = FreePort.Next();
    private readonly List<YishiFactory> _servers = [];
    private SimpleSmtpServer? _smtp;
    private FakeSmsGateway? _sms;

    private async Task<YishiFactory> StartAsync(string definitionId, bool smtpUp = true, IReadOnlyDictionary<string, string?>? more = null, string channels = "")
    {
        NotifyWorkflows.CopyShippedTemplates(TemplatesFolder);
        _sms = await FakeSmsGateway.StartAsync("yishi-test", "s3cret", cancellationToken: Ct);
        if (smtpUp)
        {
            _smtp = SimpleSmtpServer.Start(_smtpPort);
        }

        var settings = new Dictionary<string, string?>
        {
            ["Yishi:Email:Host"] = "127.0.0.1",
            ["Yishi:Email:Port"] = _smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Yishi:Email:Security"] = "None",
            ["Yishi:Email:From"] = "议事 <noreply@yishi.example>",
            ["Yishi:Sms:Url"] = _sms.Url.ToString(),
            ["Yishi:Sms:KeyId"] = "yishi-test",
            ["Yishi:Sms:Secret"] = "s3cret",
            ["Yishi:Notifications:RetryAfter"] = "00:00:00.200",
            ["Yishi:Notifications:MaxRetryAfter"] = "00:00:00.500",
            ["Yishi:Notifications:PollInterval"] = "00:00:00.050",
            // No quiet hours unless a test sets them: whether a test runs at night must not matter.
            ["Yishi:Notifications:QuietFrom"] = "00:00",
            ["Yishi:Notifications:QuietUntil"] = "00:00",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var server = NewServer(settings);
        _servers.Add(server);
        await server.PublishAsync(NotifyWorkflows.Accepted(definitionId, channels), definitionId, Ct);
        return server;
    }

    private async Task<string> StartCaseAsync(YishiFactory server, string definitionId, JsonArray applicants)
    {
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var started = await mediator.PostAsJsonAsync("/api/instances", new { definitionId, input = NotifyWorkflows.Input(TemplatesFolder, applicants) }, Ct);
        return (await started.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
    }

    private static JsonArray Applicant(string phone = Phone, string email = Email, params string[] channels) =>
        [new JsonObject { ["name"] = "张丽华", ["phone"] = phone, ["email"] = email, ["channels"] = new JsonArray([.. (channels.Length == 0 ? ["sms", "email"] : channels).Select(c => JsonValue.Create(c))]) }];

    [Fact]
    public async Task Notify_ReachesTheApplicantBySmsAndEmail_AndTheMediatorsInApp_EachOnce()
    {
        var server = await StartAsync("notify-once");
        var instanceId = await StartCaseAsync(server, "notify-once", Applicant());

        await Eventually.UntilAsync(() => _sms!.Delivered.Count >= 1 && _smtp!.ReceivedEmailCount >= 1, Patience, Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        var inbox = await Eventually.UntilAsync(async () => await InboxAsync(mediator), items => items.Count > 0, Patience, Ct);

        var sms = Assert.Single(_sms!.Delivered);
        Assert.Equal(Phone, sms.To);
        Assert.Equal("SMS_YS_MEDIATION_ACCEPTED", sms.TemplateCode);
        Assert.Equal(instanceId, sms.Params["caseNo"]);
        Assert.Equal("王**", sms.Params["mediator"]);
        // The shipped template has a pre-approved code, so the gateway gets the code and its parameters, not free text.
        Assert.Null(sms.Text);
        Assert.Equal("2026年11月28日", sms.Params["acceptedDate"]);
        var email = Assert.Single(_smtp!.ReceivedEmail);
        Assert.Equal(Email, Assert.Single(email.ToAddresses).Address);
        Assert.Contains("@yishi", email.Headers["Message-ID"], StringComparison.Ordinal);
        var item = Assert.Single(inbox);
        Assert.Equal("notification:mediation/accepted", item!["kind"]!.GetValue<string>());
        Assert.Equal($"调解申请已受理（案件编号 {instanceId}）", item["title"]!.GetValue<string>());

        // Nothing more arrives: the planner and the dispatcher ran many rounds meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.Single(_sms.Delivered);
        Assert.Equal(1, _smtp.ReceivedEmailCount);
        Assert.Single(await InboxAsync(mediator));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains(item["body"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOutboxRowThatCannotBeRead_DoesNotHoldUpTheMessagesBehindIt()
    {
        var server = await StartAsync("notify-poison", channels: """, "channels": ["sms"]""");
        var store = server.Services.GetRequiredService<Yishi.Engine.Persistence.IWorkflowStore>();
        var poison = new Yishi.Engine.Outbox.OutboxMessage("poison-o1", "poison", Yishi.Engine.Outbox.OutboxKinds.Notify, new JsonObject { ["to"] = "nobody" },
            DateTimeOffset.UtcNow.AddMinutes(-1));
        await store.CommitAsync([new Yishi.Engine.Persistence.WorkflowCommit { Outbox = [poison] }], Ct);

        await StartCaseAsync(server, "notify-poison", Applicant());

        await Eventually.UntilAsync(() => _sms!.Delivered.Count == 1, Patience, Ct);
        Assert.Contains(await store.ReadOutboxAsync(10, Yishi.Engine.Outbox.OutboxKinds.Notify, Ct), r => r.Id == "poison-o1");
        Assert.Contains(server.Logs.Lines, l => l.Contains("poison-o1", StringComparison.Ordinal) && l.Contains("cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SmtpServerDownForAWhile_EveryEmailArrivesExactlyOnceAfterItReturns()
    {
        var server = await StartAsync("notify-smtp-down", smtpUp: false);
        JsonArray applicants = [.. Enumerable.Range(1, 3).Select(i => (JsonNode)new JsonObject
        {
            ["name"] = "居民" + i, ["email"] = $"resident{i}@example.org", ["channels"] = new JsonArray("email"),
        })];
        await StartCaseAsync(server, "notify-smtp-down", applicants);
        using var admin = await server.ClientForAsync("admin", Ct);

        // Each has failed at least twice (connection refused) and waits for its next try.
        await Eventually.UntilAsync(async () => await DeliveriesAsync(admin, "pending"),
            rows => rows.Count == 3 && rows.All(r => r!["attempts"]!.GetValue<int>() >= 2 && r["lastError"] is not null), Patience, Ct);
        _smtp = SimpleSmtpServer.Start(_smtpPort);

        await Eventually.UntilAsync(() => _smtp.ReceivedEmailCount >= 3, Patience, Ct);
        await Eventually.UntilAsync(async () => await DeliveriesAsync(admin, "sent"), rows => rows.Count == 3, Patience, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.Equal(["resident1@example.org", "resident2@example.org", "resident3@example.org"],
            _smtp.ReceivedEmail.Select(m => m.ToAddresses.Single().Address).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GatewayRefusesAMessage_ItIsOnTheDeadLetterListMasked_AndARetrySendsIt()
    {
        var server = await StartAsync("notify-dead", channels: """, "channels": ["sms"]""");
        _sms!.FailNext(1, 400);
        await StartCaseAsync(server, "notify-dead", Applicant());
        using var admin = await server.ClientForAsync("admin", Ct);

        var dead = Assert.Single(await Eventually.UntilAsync(async () => await DeliveriesAsync(admin, "dead"), rows => rows.Count == 1, Patience, Ct));
        Assert.Equal("139****1111", dead!["address"]!.GetValue<string>());
        Assert.Empty(_sms.Delivered);
        using (var retried = await admin.PostAsync($"/api/admin/deliveries/{dead["id"]}/retry", null, Ct))
        {
            await retried.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        await Eventually.UntilAsync(() => _sms.Delivered.Count == 1, Patience, Ct);
        using var again = await admin.PostAsync($"/api/admin/deliveries/{dead["id"]}/retry", null, Ct);
        await again.ReadProblemAsync(HttpStatusCode.Conflict, "not-dead", Ct);
    }

    [Fact]
    public async Task QuietHours_HoldAnSmsUntilMorning_WhileTheEmailGoesNow()
    {
        // Quiet hours around the current time (in China time, the default zone): the SMS waits for their end.
        var now = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        var server = await StartAsync("notify-quiet", more: new Dictionary<string, string?>
        {
            ["Yishi:Notifications:QuietFrom"] = now.AddHours(-2).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            ["Yishi:Notifications:QuietUntil"] = now.AddHours(2).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        });
        await StartCaseAsync(server, "notify-quiet", Applicant());
        using var admin = await server.ClientForAsync("admin", Ct);

        await Eventually.UntilAsync(() => _smtp!.ReceivedEmailCount == 1, Patience, Ct);
        var waiting = Assert.Single(await DeliveriesAsync(admin, "pending"));
        Assert.Equal("sms", waiting!["channel"]!.GetValue<string>());
        Assert.True(waiting["nextAttemptAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(90));
        Assert.Empty(_sms!.Delivered);
    }

    [Fact]
    public async Task EditingATemplate_ChangesWhatNewlyPublishedVersionsSend_NotRunningOnes()
    {
        var server = await StartAsync("notify-pinned", channels: """, "channels": ["inapp"]""");
        using var staff = await server.ClientForAsync("staff", Ct);
        var original = await File.ReadAllTextAsync(Path.Combine(TemplatesFolder, "mediation", "accepted", "zh-CN.scriban"), Ct);
        using (var written = await staff.PostAsJsonAsync("/api/templates",
                   new { key = "mediation/accepted", locale = "zh-CN", text = original.Replace("调解申请已受理（", "【新】调解申请已受理（", StringComparison.Ordinal) }, Ct))
        {
            Assert.Equal(2, (await written.ReadJsonAsync(HttpStatusCode.Created, Ct))["version"]!.GetValue<int>());
        }

        await StartCaseAsync(server, "notify-pinned", []);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        var before = Assert.Single(await Eventually.UntilAsync(async () => await InboxAsync(mediator), items => items.Count == 1, Patience, Ct));
        using (var current = await staff.GetAsync("/api/definitions/notify-pinned", Ct))
        using (var edit = new HttpRequestMessage(HttpMethod.Put, "/api/definitions/notify-pinned/draft"))
        {
            edit.Content = Http.Json(NotifyWorkflows.Accepted("notify-pinned", """, "channels": ["inapp"]"""));
            edit.Headers.IfMatch.Add(current.Headers.ETag!);
            using var draft = await staff.SendAsync(edit, Ct);
            await draft.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        using (var published = await staff.PostAsync("/api/definitions/notify-pinned/publish", null, Ct))
        {
            await published.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        await StartCaseAsync(server, "notify-pinned", []);
        var after = await Eventually.UntilAsync(async () => await InboxAsync(mediator), items => items.Count == 2, Patience, Ct);

        Assert.StartsWith("调解申请已受理（", before!["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("【新】调解申请已受理（", after[0]!["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABrokenTemplateIsRefusedWithItsLineAndColumn_AndThePreviewRendersEveryChannel()
    {
        var server = await StartAsync("notify-preview");
        using var staff = await server.ClientForAsync("staff", Ct);

        using var broken = await staff.PostAsJsonAsync("/api/templates", new { key = "mediation/accepted", locale = "zh-CN", text = "--- title ---\n好\n--- sms ---\n您好 {{ if }}" }, Ct);
        var problem = await broken.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid-template", Ct);
        Assert.Equal(4, problem["errors"]![0]!["line"]!.GetValue<int>());
        Assert.Equal(10, problem["errors"]![0]!["column"]!.GetValue<int>());

        using var previewed = await staff.PostAsJsonAsync("/api/templates/preview", new { key = "mediation/accepted", locale = "zh-CN", definitionId = "notify-preview" }, Ct);
        var preview = await previewed.ReadJsonAsync(HttpStatusCode.OK, Ct);
        foreach (var part in MessageParts)
        {
            Assert.False(string.IsNullOrWhiteSpace(preview["parts"]![part]?.GetValue<string>()), part);
        }

        Assert.Equal(1, preview["sms"]!["segments"]!.GetValue<int>());
        Assert.Empty(preview["warnings"]!.AsArray());

        using var typo = await staff.PostAsJsonAsync("/api/templates/preview", new { text = "--- title ---\n{{ dispute_typ }}", definitionId = "notify-preview" }, Ct);
        var warning = Assert.Single((await typo.ReadJsonAsync(HttpStatusCode.OK, Ct))["warnings"]!.AsArray());
        Assert.Equal((2, 4), (warning!["line"]!.GetValue<int>(), warning["column"]!.GetValue<int>()));
    }

    [Fact]
    public async Task PublishingANotifyWithoutItsTemplate_IsRefused_AndNamesTheWorkflowDoesNotHaveAreWarned()
    {
        var server = await StartAsync("notify-checked");
        using var staff = await server.ClientForAsync("staff", Ct);
        var missing = NotifyWorkflows.Accepted("notify-missing").Replace("mediation/accepted", "mediation/acepted", StringComparison.Ordinal);
        using (var created = await staff.PostAsync("/api/definitions", Http.Json(missing), Ct))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using var refused = await staff.PostAsync("/api/definitions/notify-missing/publish", null, Ct);
        var problem = Assert.Single((await refused.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid-definition", Ct))["problems"]!.AsArray());
        Assert.Equal(("template.unknown", "tell", "/activities/1/properties/template"),
            (problem!["code"]!.GetValue<string>(), problem["activityId"]!.GetValue<string>(), problem["path"]!.GetValue<string>()));

        var undeclared = NotifyWorkflows.Accepted("notify-undeclared").Replace("""{ "name": "mediator_name", "type": "string" },""", "", StringComparison.Ordinal);
        using (var created = await staff.PostAsync("/api/definitions", Http.Json(undeclared), Ct))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using var published = await staff.PostAsync("/api/definitions/notify-undeclared/publish", null, Ct);
        var warnings = (await published.ReadJsonAsync(HttpStatusCode.OK, Ct))["problems"]!.AsArray();
        Assert.Contains(warnings, w => w!["severity"]!.GetValue<string>() == "warning"
            && w["message"]!.GetValue<string>().StartsWith("templates/mediation/accepted/zh-CN.scriban(", StringComparison.Ordinal)
            && w["message"]!.GetValue<string>().Contains("'mediator_name'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StaffWhoChoseTheDailyDigest_GetOneEmailGatheringTheDay()
    {
        var server = await StartAsync("notify-digest");
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using (var set = await mediator.PutAsJsonAsync("/api/me/notifications", new { locale = "zh-CN", channels = EmailOnly, email = "mediator@example.org", dailyDigest = true }, Ct))
        {
            await set.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        await StartCaseAsync(server, "notify-digest", []);
        await StartCaseAsync(server, "notify-digest", []);
        using var admin = await server.ClientForAsync("admin", Ct);
        await Eventually.UntilAsync(async () => await DeliveriesAsync(admin, "digest"), rows => rows.Count == 2, Patience, Ct);
        Assert.Equal(0, _smtp!.ReceivedEmailCount);

        var digest = server.Services.GetRequiredService<DailyDigest>();
        Assert.Equal(1, await digest.CollectAsync(DateTimeOffset.UtcNow.AddDays(1), Ct));
        Assert.Equal(0, await digest.CollectAsync(DateTimeOffset.UtcNow.AddDays(1), Ct));

        await Eventually.UntilAsync(() => _smtp.ReceivedEmailCount == 1, Patience, Ct);
        var email = Assert.Single(_smtp.ReceivedEmail);
        Assert.Equal("mediator@example.org", email.ToAddresses.Single().Address);
        Assert.Contains("2", email.Headers["Subject"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAgreementIsStoredWithTheCase_AsAPageAndAPdf_WithWhoMadeIt()
    {
        var server = await StartAsync("notify-document", channels: """, "channels": ["inapp"]""");
        var instanceId = await StartCaseAsync(server, "notify-document", []);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        var taskId = (await (await mediator.GetAsync($"/api/tasks?instanceId={instanceId}", Ct)).ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray()[0]!["id"]!.GetValue<string>();
        using (var done = await mediator.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "agreed" }, Ct))
        {
            await done.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        var documents = await Eventually.UntilAsync(async () => (await (await mediator.GetAsync($"/api/instances/{instanceId}/documents", Ct)).ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray(),
            rows => rows.Count == 1, TimeSpan.FromSeconds(90), Ct);
        var document = documents[0]!;
        Assert.Equal($"人民调解协议书（{instanceId}）", document["title"]!.GetValue<string>());
        Assert.Equal(await server.UserIdAsync("mediator", Ct), document["generatedBy"]!.GetValue<string>());
        using var page = await mediator.GetAsync($"/api/documents/{document["id"]}", Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("李建国", html, StringComparison.Ordinal);
        // The case's community, read the same way as for its messages.
        Assert.Contains("海滨社区人民调解委员会", html, StringComparison.Ordinal);
        using var resident = await server.ClientForAsync("resident1", Ct);
        using var hidden = await resident.GetAsync($"/api/documents/{document["id"]}/pdf", Ct);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);

        if (!document["hasPdf"]!.GetValue<bool>())
        {
            Assert.True(Environment.GetEnvironmentVariable("YISHI_TEST_CHROMIUM") != "required", document["pdfError"]?.GetValue<string>());
            return;
        }

        using var pdf = await mediator.GetAsync($"/api/documents/{document["id"]}/pdf", Ct);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        using var parsed = UglyToad.PdfPig.PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync(Ct));
        var text = string.Concat(parsed.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("人民调解协议书", text, StringComparison.Ordinal);
        Assert.Contains("李建国", text, StringComparison.Ordinal);
    }

    private static async Task<JsonArray> InboxAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/inbox", Ct)).ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();

    private static async Task<JsonArray> DeliveriesAsync(HttpClient admin, string status) =>
        (await (await admin.GetAsync($"/api/admin/deliveries?status={status}", Ct)).ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();

    /// <summary>
    /// Every scenario here ends by reading everything its servers logged, down to Trace: no phone number, email
    /// address, name or rendered text of any message may be there (the SMS text, the email subject, the agreement).
    /// </summary>
    private void AssertNoPersonalDataLogged()
    {
        var lines = _servers.SelectMany(s => s.Logs.Lines).ToList();
        Assert.NotEmpty(lines);
        string[] secrets = [Phone, Email, "resident1@example.org", "mediator@example.org", "张丽华", "李建国", "王秀英", "已受理，调解员", "调解申请已受理（", "人民调解协议书（"];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            // A test that failed already says why; this check would only add noise to it.
            if (TestContext.Current.TestState?.Result != TestResult.Failed)
            {
                AssertNoPersonalDataLogged();
            }
        }
        finally
        {
            await base.DisposeAsync();
            GC.SuppressFinalize(this);
            _smtp?.Stop();
            if (_sms is not null)
            {
                await _sms.DisposeAsync();
            }
        }
    }
}
