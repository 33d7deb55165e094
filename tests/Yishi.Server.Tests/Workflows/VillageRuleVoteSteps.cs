using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Engine.Time;
using Yishi.Server.Tests.Ballots;
using Yishi.Server.Tests.Support;
using Yishi.Testing;

namespace Yishi.Server.Tests.Workflows;

/// <summary>
/// The steps of a 村规民约 case over the public API, as the workbench, the ballot pages and the resident portal take them:
/// six adult villagers of 西坪村 (v9), two committee members with the officer role (officer1, officer2), the street's
/// reviewer for the township's legality review and filing.
/// </summary>
internal sealed class VillageRuleVoteCase(WebApplicationFactory<Program> server, ManualClock clock, string instanceId, IReadOnlyList<BallotWorkflows.Resident> villagers,
    Dictionary<string, string> tokens, CancellationToken cancellationToken)
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public const string RuleTitle = "西坪村村规民约";

    public static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public string Id => instanceId;

    public WebApplicationFactory<Program> Server => server;

    public IReadOnlyList<BallotWorkflows.Resident> Villagers => villagers;

    /// <summary>The server's time now.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Imports the villagers and the committee, and admin starts the case for 西坪村 with <paramref name="input"/> added.</summary>
    public static async Task<VillageRuleVoteCase> StartAsync(WebApplicationFactory<Program> server, ManualClock clock, CancellationToken cancellationToken, JsonObject? input = null)
    {
        var villagers = BallotWorkflows.Adults(6, 13900000001);
        await server.ImportAsync(villagers, cancellationToken);
        await server.CreateOfficerAsync("officer1", cancellationToken);
        await server.CreateOfficerAsync("officer2", cancellationToken);
        var tokens = await server.TokensByPhoneAsync([.. villagers.Select(v => v.Phone)], cancellationToken);
        var start = new JsonObject { ["rule_title"] = RuleTitle, ["paper_place"] = "西坪村村部一楼" };
        foreach (var (name, value) in input ?? [])
        {
            start[name] = value?.DeepClone();
        }

        using var admin = await server.SignedInClientAsync("admin", cancellationToken);
        using var started = await admin.PostAsJsonAsync("/api/instances", new { definitionId = "village-rule-vote", orgUnitId = "v9", input = start }, cancellationToken);
        var id = (await started.ReadJsonAsync(HttpStatusCode.Created, cancellationToken))["id"]!.GetValue<string>();
        return new VillageRuleVoteCase(server, clock, id, villagers, tokens, cancellationToken);
    }

    public HttpClient Villager(int index) => server.ClientWith(tokens[villagers[index].Phone]);

    /// <summary>The open tasks of the case that <paramref name="userName"/> sees.</summary>
    public async Task<JsonArray> TasksAsync(string userName = "officer1")
    {
        using var client = await server.SignedInClientAsync(userName, cancellationToken);
        using var response = await client.GetAsync($"/api/tasks?instanceId={instanceId}", cancellationToken);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, cancellationToken)).AsArray();
    }

    /// <summary>Waits for the open task of <paramref name="activityId"/>.</summary>
    public async Task<JsonNode> TaskAsync(string activityId, string userName = "officer1")
    {
        var tasks = await Eventually.UntilAsync(() => TasksAsync(userName), t => t.Any(x => x!["activityId"]!.GetValue<string>() == activityId), Patience, cancellationToken);
        return tasks.Single(x => x!["activityId"]!.GetValue<string>() == activityId)!;
    }

    /// <summary>Completes the open task of <paramref name="activityId"/> with an outcome and form data.</summary>
    public async Task<JsonNode> CompleteAsync(string activityId, string outcome, JsonObject? data = null, string userName = "officer1")
    {
        var task = await TaskAsync(activityId, userName);
        using var client = await server.SignedInClientAsync(userName, cancellationToken);
        using var done = await client.PostAsJsonAsync($"/api/tasks/{task["id"]!.GetValue<string>()}/complete", new { outcome, data = data ?? new JsonObject() }, cancellationToken);
        await done.ReadJsonAsync(HttpStatusCode.OK, cancellationToken);
        return task;
    }

    /// <summary>Asserts a task's deadline: <paramref name="workingDays"/> working days (by the calendar) or <paramref name="days"/> days after it was created.</summary>
    public void AssertDue(JsonNode task, int? workingDays = null, int? days = null)
    {
        var created = task["createdAt"]!.GetValue<DateTimeOffset>();
        var calendar = server.Services.GetRequiredService<IWorkingCalendar>();
        var expected = workingDays is { } n ? calendar.AddWorkingDays(created, n) : created.AddDays(days!.Value);
        Assert.Equal(expected, task["dueAt"]!.GetValue<DateTimeOffset>());
    }

    /// <summary>officer1 submits a draft; answers the review task the reviewer then sees.</summary>
    public async Task<JsonNode> SubmitDraftAsync(string text, string notes = "")
    {
        await CompleteAsync("draft", "submitted", new JsonObject { ["text"] = text, ["notes"] = notes });
        return await TaskAsync("review", "reviewer");
    }

    public async Task<JsonNode> InstanceAsync()
    {
        using var client = await server.SignedInClientAsync("admin", cancellationToken);
        using var response = await client.GetAsync($"/api/instances/{instanceId}", cancellationToken);
        return await response.ReadJsonAsync(HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>The case's variables as the engine holds them (no endpoint shows them all: the case file shows what staff need).</summary>
    public async Task<JsonObject> VariablesAsync()
    {
        var instance = await server.Services.GetRequiredService<Yishi.Engine.Runtime.WorkflowRuntime>().FindInstanceAsync(instanceId, cancellationToken);
        return instance!.State.Variables;
    }

    /// <summary>Waits until the case is completed; answers its result.</summary>
    public async Task<string> CompletedResultAsync()
    {
        var instance = await Eventually.UntilAsync(InstanceAsync, i => i["status"]!.GetValue<string>() == "Completed", Patience, cancellationToken);
        return instance["result"]!.GetValue<string>();
    }

    /// <summary>The messages in the in-app inbox of a staff member (by user name) or of villager <paramref name="villager"/>, title and body.</summary>
    public async Task<List<(string Title, string Body)>> InboxAsync(string? userName = null, int villager = -1)
    {
        using var client = userName is null ? Villager(villager) : await server.SignedInClientAsync(userName, cancellationToken);
        using var response = await client.GetAsync("/api/inbox", cancellationToken);
        return [.. (await response.ReadJsonAsync(HttpStatusCode.OK, cancellationToken)).AsArray().Select(n => (n!["title"]!.GetValue<string>(), n["body"]!.GetValue<string>()))];
    }

    /// <summary>Waits until villager <paramref name="villager"/> has <paramref name="count"/> messages titled so; answers the newest.</summary>
    public async Task<(string Title, string Body)> VillagerNoticeAsync(int villager, string title, int count = 1)
    {
        var inbox = await Eventually.UntilAsync(() => InboxAsync(villager: villager), m => m.Count(x => x.Title == title) >= count, Patience, cancellationToken);
        return inbox.First(x => x.Title == title);
    }

    /// <summary>Waits until every villager has <paramref name="count"/> messages titled so; answers villager 0's newest.</summary>
    public async Task<(string Title, string Body)> EveryVillagerNoticeAsync(string title, int count = 1)
    {
        for (var i = 1; i < villagers.Count; i++)
        {
            await VillagerNoticeAsync(i, title, count);
        }

        return await VillagerNoticeAsync(0, title, count);
    }

    /// <summary>Waits until a staff member has <paramref name="count"/> messages titled so; answers the newest.</summary>
    public async Task<(string Title, string Body)> StaffNoticeAsync(string userName, string title, int count = 1)
    {
        var inbox = await Eventually.UntilAsync(() => InboxAsync(userName), m => m.Count(x => x.Title == title) >= count, Patience, cancellationToken);
        return inbox.First(x => x.Title == title);
    }

    /// <summary>Villagers 0 to 2 give opinions on the open consultation; officer1 closes it and publishes the summary.</summary>
    public async Task CollectOpinionsAsync(string summary)
    {
        var open = await Eventually.UntilAsync(async () =>
        {
            using var list = await Villager(0).GetAsync("/api/consultations?open=true", cancellationToken);
            return (await list.ReadJsonAsync(HttpStatusCode.OK, cancellationToken)).AsArray();
        }, rows => rows.Count == 1, Patience, cancellationToken);
        var consultation = open[0]!;
        Assert.Equal($"制定（修订）《{RuleTitle}》征求意见", consultation["topic"]!.GetValue<string>());
        var id = consultation["id"]!.GetValue<string>();
        string[] opinions = ["建议写入垃圾分类，房前屋后每周清扫。", "红白喜事应当简办，不要攀比。", "村道路灯坏了要有人管。"];
        for (var i = 0; i < opinions.Length; i++)
        {
            using var posted = await Villager(i).PostAsJsonAsync($"/api/consultations/{id}/opinions", new { stance = "support", text = opinions[i] }, cancellationToken);
            await posted.ReadJsonAsync(HttpStatusCode.Created, cancellationToken);
        }

        using var officer = await server.SignedInClientAsync("officer1", cancellationToken);
        using (var closed = await officer.PostAsJsonAsync($"/api/consultations/{id}/close", new { }, cancellationToken))
        {
            await closed.ReadJsonAsync(HttpStatusCode.OK, cancellationToken);
        }

        using var summarized = await officer.PostAsJsonAsync($"/api/consultations/{id}/summary", new { text = summary }, cancellationToken);
        await summarized.ReadJsonAsync(HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>Waits for the case's ballot of <paramref name="round"/> (1-based, by notice time) to exist; answers it as staff see it.</summary>
    public async Task<JsonNode> BallotAsync(int round)
    {
        using var admin = await server.SignedInClientAsync("admin", cancellationToken);
        var ballots = await Eventually.UntilAsync(async () =>
        {
            using var list = await admin.GetAsync("/api/ballots", cancellationToken);
            return (await list.ReadJsonAsync(HttpStatusCode.OK, cancellationToken)).AsArray().Where(b => b!["instanceId"]!.GetValue<string>() == instanceId).ToList();
        }, b => b.Count >= round, Patience, cancellationToken);
        return ballots.OrderBy(b => b!["noticeAt"]!.GetValue<DateTimeOffset>()).ElementAt(round - 1)!;
    }

    /// <summary>Villager <paramref name="villager"/> votes online.</summary>
    public async Task VoteAsync(string ballotId, int villager, string choice)
    {
        using var client = Villager(villager);
        using var cast = await client.VoteAsync(ballotId, new { q1 = choice }, cancellationToken: cancellationToken);
        await cast.ReadJsonAsync(HttpStatusCode.Created, cancellationToken);
    }

    /// <summary>
    /// Villager <paramref name="villager"/> votes on paper: officer1 marks them on the roll (found by the last digits of
    /// their masked phone) and enters the ballot, officer2 confirms the batch.
    /// </summary>
    public async Task VoteOnPaperAsync(string ballotId, int villager, string choice)
    {
        using var officer = await server.SignedInClientAsync("officer1", cancellationToken);
        using var roll = await officer.GetAsync($"/api/ballots/{ballotId}/electorate", cancellationToken);
        var userId = (await roll.ReadJsonAsync(HttpStatusCode.OK, cancellationToken)).AsArray()
            .Single(r => r!["phone"]!.GetValue<string>().EndsWith(villagers[villager].Phone[^4..], StringComparison.Ordinal))!["userId"]!.GetValue<string>();
        using (var marked = await officer.PostAsJsonAsync($"/api/ballots/{ballotId}/paper/voters", new { userId }, cancellationToken))
        {
            await marked.ReadJsonAsync(HttpStatusCode.OK, cancellationToken);
        }

        using var entered = await officer.PostAsJsonAsync($"/api/ballots/{ballotId}/paper/batches", new { ballots = new[] { new { q1 = choice } } }, cancellationToken);
        var batch = (await entered.ReadJsonAsync(HttpStatusCode.Created, cancellationToken))["id"]!.GetValue<string>();
        using var second = await server.SignedInClientAsync("officer2", cancellationToken);
        using var confirmed = await second.PostAsync($"/api/ballots/{ballotId}/paper/batches/{batch}/confirm", null, cancellationToken);
        Assert.Equal("confirmed", (await confirmed.ReadJsonAsync(HttpStatusCode.OK, cancellationToken))["status"]!.GetValue<string>());
    }

    /// <summary>Waits until the ballot is closed and counted; answers its result as staff read it.</summary>
    public async Task<JsonNode> ClosedResultAsync(string ballotId)
    {
        using var admin = await server.SignedInClientAsync("admin", cancellationToken);
        return await BallotWorkflows.ClosedResultAsync(admin, ballotId, cancellationToken);
    }

    /// <summary>Moves the server's clock on; its loops fire what fell due.</summary>
    public void Advance(TimeSpan by) => clock.Advance(by);

    /// <summary>Moves the clock to just after <paramref name="at"/>.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        var now = clock.GetUtcNow();
        if (at >= now)
        {
            clock.Advance(at - now + TimeSpan.FromMinutes(1));
        }
    }

    /// <summary>A time as the templates print it (datetime_cn): the case's time zone, e.g. 2026年12月21日 09:00.</summary>
    public static string DateTimeCn(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, China).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A date as the templates print it (date_cn): 2026年12月21日.</summary>
    public static string DateCn(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, China).ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>The case's documents; waits until there are <paramref name="count"/>.</summary>
    public async Task<JsonArray> DocumentsAsync(int count)
    {
        using var client = await server.SignedInClientAsync("admin", cancellationToken);
        return await Eventually.UntilAsync(
            async () => (await (await client.GetAsync($"/api/instances/{instanceId}/documents", cancellationToken)).ReadJsonAsync(HttpStatusCode.OK, cancellationToken)).AsArray(),
            rows => rows.Count >= count, TimeSpan.FromSeconds(90), cancellationToken);
    }

    /// <summary>A document's HTML page.</summary>
    public async Task<string> DocumentHtmlAsync(string documentId)
    {
        using var client = await server.SignedInClientAsync("admin", cancellationToken);
        using var page = await client.GetAsync($"/api/documents/{documentId}", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync(cancellationToken);
    }
}
