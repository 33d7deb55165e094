using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Consultations;

public sealed class SqliteConsultations : ConsultationScenario<SqliteTestDatabase>;

public sealed class PostgreSqlConsultations : ConsultationScenario<PostgreSqlTestDatabase>;

/// <summary>
/// Consultations through the public API, on a real database: a workflow asks the residents of community c1, they give
/// opinions or scores, staff moderate and close, and the summary moves the case on with the counts. The demo's
/// residents 1, 2, 6, 11 and 12 live in c1; resident 3 lives in c2.
/// </summary>
public abstract partial class ConsultationScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ConsultationClock _clock = new();
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private WebApplicationFactory<Program>? _server;

    [Fact]
    public async Task Opinions_FromPostingToSummary_MoveTheCaseOnWithTheCounts()
    {
        var (instanceId, id) = await StartAsync(ConsultationWorkflows.Opinions("lift"), "lift");

        var open = (await GetAsync("resident1", "/api/consultations?open=true")).AsArray();
        Assert.Equal(id, Assert.Single(open)!["id"]!.GetValue<string>());
        Assert.Equal(ConsultationWorkflows.Topic, open[0]!["topic"]!.GetValue<string>());
        Assert.Equal("c1", open[0]!["orgUnitId"]!.GetValue<string>());
        await PostOpinionAsync("resident1", id, "support", "老人上下楼太难了，支持加装。", HttpStatusCode.Created);
        await PostOpinionAsync("resident2", id, "oppose", "一楼采光会受影响。", HttpStatusCode.Created);
        await PostOpinionAsync("resident11", id, "support", "费用分摊合理。", HttpStatusCode.Created);
        var changed = await PostOpinionAsync("resident2", id, "neutral", "如果补偿一楼，可以接受。", HttpStatusCode.OK);
        Assert.True(changed["edited"]!.GetValue<bool>());

        var listed = await GetAsync("resident12", $"/api/consultations/{id}/opinions");
        Assert.Equal(2, listed["counts"]!["support"]!.GetValue<int>());
        Assert.Equal(0, listed["counts"]!["oppose"]!.GetValue<int>());
        Assert.Equal(1, listed["counts"]!["neutral"]!.GetValue<int>());
        Assert.Equal(3, listed["counts"]!["total"]!.GetValue<int>());
        var opinions = listed["opinions"]!.AsArray();
        Assert.Equal(3, opinions.Count);
        // resident1 and resident11 are both 张丽华 in the demo: the surname stays, the given name does not.
        Assert.All(opinions, o => Assert.Matches("^.\\*+$", o!["author"]!.GetValue<string>()));
        Assert.Equal("张**", opinions[0]!["author"]!.GetValue<string>());
        Assert.All(opinions, o => Assert.False(o!["mine"]!.GetValue<bool>()));
        Assert.DoesNotContain(await UserIdAsync("resident1"), listed.ToJsonString(), StringComparison.Ordinal);

        using (var early = await (await As("staff")).PostAsJsonAsync($"/api/consultations/{id}/summary", new { text = "太早了" }, Ct))
        {
            await early.ReadProblemAsync(HttpStatusCode.Conflict, "not-closed", Ct);
        }

        var closed = await PostAsync("staff", $"/api/consultations/{id}/close", new { }, HttpStatusCode.OK);
        Assert.Equal("closed", closed["status"]!.GetValue<string>());
        Assert.False(closed["open"]!.GetValue<bool>());
        Assert.Equal(3, closed["tally"]!["participants"]!.GetValue<int>());
        Assert.Equal(2, closed["tally"]!["support"]!.GetValue<int>());
        using (var late = await (await As("resident12")).PostAsJsonAsync($"/api/consultations/{id}/opinions", new { stance = "oppose", text = "晚了" }, Ct))
        {
            await late.ReadProblemAsync(HttpStatusCode.Conflict, "consultation-closed", Ct);
        }

        using (var again = await (await As("staff")).PostAsJsonAsync($"/api/consultations/{id}/close", new { }, Ct))
        {
            await again.ReadProblemAsync(HttpStatusCode.Conflict, "already-closed", Ct);
        }

        var summary = await PostAsync("staff", $"/api/consultations/{id}/summary", new { text = "多数居民支持加装电梯，将补偿一楼住户。" }, HttpStatusCode.OK);
        Assert.Equal("Completed", summary["instanceStatus"]!.GetValue<string>());
        using (var twice = await (await As("staff")).PostAsJsonAsync($"/api/consultations/{id}/summary", new { text = "再来一次" }, Ct))
        {
            await twice.ReadProblemAsync(HttpStatusCode.Conflict, "already-summarized", Ct);
        }

        // The case went by the Decision's "true" branch, which read the counts, and ended with the consultation's output.
        var instance = await GetAsync("mediator", $"/api/instances/{instanceId}");
        Assert.Equal("Completed", instance["status"]!.GetValue<string>());
        Assert.Equal(2, instance["result"]!["support"]!.GetValue<int>());
        Assert.Equal(1, instance["result"]!["neutral"]!.GetValue<int>());
        Assert.Equal(id, instance["result"]!["consultationId"]!.GetValue<string>());
        Assert.Equal("多数居民支持加装电梯，将补偿一楼住户。", instance["result"]!["summary"]!.GetValue<string>());
        var seen = await GetAsync("resident1", $"/api/consultations/{id}");
        Assert.Equal("summarized", seen["status"]!.GetValue<string>());
        Assert.Equal("support", seen["myOpinion"]!["stance"]!.GetValue<string>());
        Assert.True(seen["myOpinion"]!["mine"]!.GetValue<bool>());
        Assert.Equal("https://example.org/lift/plan.pdf", seen["attachments"]![0]!["url"]!.GetValue<string>());
        Assert.Null(seen["sensitiveWords"]);
    }

    [Fact]
    public async Task TheAuditChain_RecordsTheLifeCycle_WithoutTextsNamesOrAuthors_AndVerifies()
    {
        var (_, id) = await StartAsync(ConsultationWorkflows.Opinions("lift"), "lift");
        await PostOpinionAsync("resident1", id, "support", "老人上下楼太难了，支持加装。", HttpStatusCode.Created);
        await PostOpinionAsync("resident2", id, "oppose", "一楼采光会受影响。", HttpStatusCode.Created);
        await PostOpinionAsync("resident2", id, "neutral", "如果补偿一楼，可以接受。", HttpStatusCode.OK);
        await PostAsync("staff", $"/api/consultations/{id}/close", new { }, HttpStatusCode.OK);
        await PostAsync("staff", $"/api/consultations/{id}/summary", new { text = "多数支持。" }, HttpStatusCode.OK);

        var entries = (await GetAsync("staff", $"/api/audit?subject=consultation:{id}&limit=1000")).AsArray();
        var verified = await GetAsync("staff", "/api/audit/verify");

        Assert.Equal(["consultation.opened", "opinion.posted", "opinion.posted", "opinion.edited", "consultation.closed", "consultation.summary-published"],
            entries.Select(e => e!["kind"]!.GetValue<string>()));
        var closedData = JsonNode.Parse(entries[4]!["data"]!.GetValue<string>())!;
        Assert.True(closedData["early"]!.GetValue<bool>());
        Assert.Equal(1, closedData["tally"]!["support"]!.GetValue<int>());
        Assert.Equal(1, closedData["tally"]!["neutral"]!.GetValue<int>());
        Assert.Equal("oppose", JsonNode.Parse(entries[3]!["data"]!.GetValue<string>())!["previousStance"]!.GetValue<string>());
        var everything = string.Concat(entries.Select(e => e!["data"]!.GetValue<string>()));
        foreach (var secret in new[] { "老人", "采光", "补偿", "多数支持", "张丽华", "王晓明", await UserIdAsync("resident1"), await UserIdAsync("resident2") })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }

        Assert.True(verified["valid"]!.GetValue<bool>(), verified["reason"]?.ToString());
        Assert.Equal(entries[^1]!["sequence"]!.GetValue<long>(), verified["head"]!["sequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task TheClosingTime_PassingOnTheServersClock_ClosesTheConsultation()
    {
        var (_, id) = await StartAsync(ConsultationWorkflows.Opinions("lift"), "lift");
        await PostOpinionAsync("resident1", id, "support", "支持。", HttpStatusCode.Created);
        Assert.True((await GetAsync("resident1", $"/api/consultations/{id}"))["open"]!.GetValue<bool>());

        _clock.Advance(TimeSpan.FromMinutes(31));

        var closed = await EventuallyAsync(async () => await GetAsync("resident1", $"/api/consultations/{id}") is var c && c["status"]!.GetValue<string>() == "closed" ? c : null,
            "the sweep closing the consultation");
        Assert.False(closed["open"]!.GetValue<bool>());
        Assert.Equal(1, closed["tally"]!["support"]!.GetValue<int>());
        using (var late = await (await As("resident2")).PostAsJsonAsync($"/api/consultations/{id}/opinions", new { stance = "oppose", text = "晚了" }, Ct))
        {
            await late.ReadProblemAsync(HttpStatusCode.Conflict, "consultation-closed", Ct);
        }

        // The chain's entry follows the close's commit (a separate transaction), so it may show a moment later.
        var entries = await EventuallyAsync(async () => (await GetAsync("staff", $"/api/audit?subject=consultation:{id}")).AsArray() is var all
            && all.Any(e => e!["kind"]!.GetValue<string>() == "consultation.closed") ? all : null, "the close's audit entry");
        var close = JsonNode.Parse(Assert.Single(entries, e => e!["kind"]!.GetValue<string>() == "consultation.closed")!["data"]!.GetValue<string>())!;
        Assert.False(close["early"]!.GetValue<bool>());
        Assert.Equal("system", close["by"]!.GetValue<string>());
        Assert.Empty((await GetAsync("resident1", "/api/consultations?open=true")).AsArray());
    }

    [Fact]
    public async Task AnotherCommunitysResident_NeitherSeesNorTakesPart_AndStaffDoNotGiveOpinions()
    {
        var (_, id) = await StartAsync(ConsultationWorkflows.Opinions("lift"), "lift");
        var opinion = await PostOpinionAsync("resident1", id, "support", "支持。", HttpStatusCode.Created);
        var opinionId = opinion["id"]!.GetValue<string>();
        var outsider = await As("resident3");

        Assert.Empty((await GetAsync("resident3", "/api/consultations")).AsArray());
        Assert.Single((await GetAsync("resident2", "/api/consultations")).AsArray());
        foreach (var (method, url, body) in new (string, string, object?)[]
                 {
                     ("GET", $"/api/consultations/{id}", null),
                     ("GET", $"/api/consultations/{id}/opinions", null),
                     ("POST", $"/api/consultations/{id}/opinions", new { stance = "oppose", text = "反对" }),
                     ("POST", $"/api/consultations/opinions/{opinionId}/reports", new { reason = "捣乱" }),
                     ("POST", $"/api/consultations/{id}/evaluations", new { scores = new { clean = 1 } }),
                 })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = body is null ? null : JsonContent.Create(body) };
            using var answer = await outsider.SendAsync(request, Ct);
            var problem = await answer.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
            Assert.DoesNotContain(ConsultationWorkflows.Topic, problem.ToJsonString(), StringComparison.Ordinal);
        }

        using var staffOpinion = await (await As("mediator")).PostAsJsonAsync($"/api/consultations/{id}/opinions", new { stance = "support", text = "支持" }, Ct);
        await staffOpinion.ReadProblemAsync(HttpStatusCode.Forbidden, "residents-only", Ct);
        using var otherStaff = await (await As("mediator2")).PostAsJsonAsync($"/api/consultations/{id}/close", new { }, Ct);
        await otherStaff.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        Assert.Equal(1, (await GetAsync("resident2", $"/api/consultations/{id}/opinions"))["counts"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task BadInput_IsRefusedWithProblemDetails()
    {
        var (_, id) = await StartAsync(ConsultationWorkflows.Opinions("lift"), "lift");
        var resident = await As("resident1");

        foreach (var (body, problem) in new (object, string)[]
                 {
                     (new { stance = "maybe", text = "也许" }, "bad-stance"),
                     (new { text = "没有立场" }, "bad-stance"),
                     (new { stance = "support", text = "  " }, "bad-request"),
                     (new { stance = "support" }, "bad-request"),
                     (new { stance = "support", text = new string('长', 2001) }, "too-long"),
                 })
        {
            using var answer = await resident.PostAsJsonAsync($"/api/consultations/{id}/opinions", body, Ct);
            await answer.ReadProblemAsync(HttpStatusCode.BadRequest, problem, Ct);
        }

        using (var notJson = await resident.PostAsync($"/api/consultations/{id}/opinions", Http.Json("{ stance: "), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        }

        using (var scores = await resident.PostAsJsonAsync($"/api/consultations/{id}/evaluations", new { scores = new { clean = 3 } }, Ct))
        {
            await scores.ReadProblemAsync(HttpStatusCode.BadRequest, "wrong-kind", Ct);
        }

        var opinion = await PostOpinionAsync("resident1", id, "support", "支持。", HttpStatusCode.Created);
        using (var noReason = await (await As("resident2")).PostAsJsonAsync($"/api/consultations/opinions/{opinion["id"]}/reports", new { reason = "" }, Ct))
        {
            await noReason.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        }

        await PostAsync("staff", $"/api/consultations/{id}/close", new { }, HttpStatusCode.OK);
        using (var noText = await (await As("staff")).PostAsJsonAsync($"/api/consultations/{id}/summary", new { text = "" }, Ct))
        {
            await noText.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        }

        using var tooLong = await (await As("staff")).PostAsJsonAsync($"/api/consultations/{id}/summary", new { text = new string('长', 4001) }, Ct);
        await tooLong.ReadProblemAsync(HttpStatusCode.BadRequest, "too-long", Ct);
        Assert.Equal("closed", (await GetAsync("resident1", $"/api/consultations/{id}"))["status"]!.GetValue<string>());
    }

    /// <summary>
    /// A server with the test's clock, fast polling and the workflow published by staff; mediator (c1) starts a case,
    /// and the answer comes once the server has opened its consultation.
    /// </summary>
    private async Task<(string InstanceId, string ConsultationId)> StartAsync(string definition, string definitionId)
    {
        var host = NewServer(new Dictionary<string, string?> { ["Yishi:Consultations:PollInterval"] = "00:00:00.050" });
        _server = host.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock)));
        var staff = await As("staff");
        using (var created = await staff.PostAsync("/api/definitions", Http.Json(definition), Ct))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using (var published = await staff.PostAsync($"/api/definitions/{definitionId}/publish", null, Ct))
        {
            await published.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        var started = await PostAsync("mediator", "/api/instances", new { definitionId }, HttpStatusCode.Created);
        var instanceId = started["id"]!.GetValue<string>();
        var consultation = await EventuallyAsync(async () => (await GetAsync("mediator", "/api/consultations")).AsArray() is [var only] ? only : null,
            "the consultation being opened");
        return (instanceId, consultation!["id"]!.GetValue<string>());
    }

    /// <summary>A client signed in as <paramref name="userName"/> (once per test: sign-ins are rate-limited).</summary>
    private async Task<HttpClient> As(string userName)
    {
        if (_clients.TryGetValue(userName, out var known))
        {
            return known;
        }

        var server = _server ?? throw new InvalidOperationException("Start the server first.");
        using var anonymous = server.CreateClient();
        using var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password = YishiFactory.DemoPassword }, Ct);
        var token = (await login.ReadJsonAsync(HttpStatusCode.OK, Ct))["accessToken"]!.GetValue<string>();
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _clients[userName] = client;
        return client;
    }

    private async Task<JsonNode> GetAsync(string userName, string url)
    {
        using var answer = await (await As(userName)).GetAsync(url, Ct);
        return await answer.ReadJsonAsync(HttpStatusCode.OK, Ct);
    }

    private async Task<JsonNode> PostAsync(string userName, string url, object body, HttpStatusCode expected)
    {
        using var answer = await (await As(userName)).PostAsJsonAsync(url, body, Ct);
        return await answer.ReadJsonAsync(expected, Ct);
    }

    private Task<JsonNode> PostOpinionAsync(string userName, string id, string stance, string text, HttpStatusCode expected) =>
        PostAsync(userName, $"/api/consultations/{id}/opinions", new { stance, text }, expected);

    private async Task<string> UserIdAsync(string userName) => (await GetAsync(userName, "/api/me"))["id"]!.GetValue<string>();

    /// <summary>Polls until <paramref name="probe"/> finds what the server's background loop was to do, within <see cref="Patience"/>.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Patience)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50, Ct);
        }

        throw new TimeoutException($"Waited {Patience} for {what}.");
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
