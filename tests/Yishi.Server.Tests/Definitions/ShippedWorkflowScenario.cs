using System.Net;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Definitions;

public sealed class SqliteShippedWorkflow : ShippedWorkflowScenario<SqliteTestDatabase>;

public sealed class PostgreSqlShippedWorkflow : ShippedWorkflowScenario<PostgreSqlTestDatabase>;

/// <summary>The definitions in the workflows folder are imported and published at start-up, unless staff changed them here.</summary>
public abstract class ShippedWorkflowScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const string Id = "shipped-mediation";

    private string ShippedFile => Path.Combine(WorkflowsFolder, Id + ".json");

    [Fact]
    public async Task Start_ImportsAndPublishes_Restart_WithChangedFile_PublishesVersion2()
    {
        await File.WriteAllTextAsync(ShippedFile, SampleWorkflows.Mediation(Id, "出厂版"), Ct);
        var first = NewServer();
        var imported = await RowAsync(first);
        Assert.Equal(1, imported["publishedVersion"]?.GetValue<int>());
        Assert.Equal("Published", imported["latestStatus"]?.GetValue<string>());
        Assert.Equal("s1", imported["orgUnitId"]?.GetValue<string>());
        await first.DisposeAsync();

        var unchanged = NewServer();
        Assert.Equal(1, (await RowAsync(unchanged))["latestVersion"]?.GetValue<int>());
        await unchanged.DisposeAsync();

        await File.WriteAllTextAsync(ShippedFile, SampleWorkflows.Mediation(Id, "出厂版二"), Ct);
        var restarted = NewServer();
        var upgraded = await RowAsync(restarted);

        Assert.Equal(2, upgraded["publishedVersion"]?.GetValue<int>());
        Assert.Equal(2, upgraded["latestVersion"]?.GetValue<int>());
        Assert.Equal("出厂版二", upgraded["name"]?["zh-CN"]?.GetValue<string>());
    }

    [Fact]
    public async Task Restart_AfterStaffSavedADraft_LeavesChangedFileAlone()
    {
        await File.WriteAllTextAsync(ShippedFile, SampleWorkflows.Mediation(Id, "出厂版"), Ct);
        var first = NewServer();
        using (var staff = await first.ClientForAsync("staff", Ct))
        {
            using var read = await staff.GetAsync($"/api/definitions/{Id}", Ct);
            await read.ReadJsonAsync(HttpStatusCode.OK, Ct);
            using var edit = new HttpRequestMessage(HttpMethod.Put, $"/api/definitions/{Id}/draft") { Content = Http.Json(SampleWorkflows.Mediation(Id, "本地修改")) };
            edit.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.ToString());
            using var saved = await staff.SendAsync(edit, Ct);
            var draft = await saved.ReadJsonAsync(HttpStatusCode.OK, Ct);
            Assert.Equal(2, draft["version"]?.GetValue<int>());
        }

        await first.DisposeAsync();

        await File.WriteAllTextAsync(ShippedFile, SampleWorkflows.Mediation(Id, "出厂版二"), Ct);
        var restarted = NewServer();
        var row = await RowAsync(restarted);

        Assert.Equal(1, row["publishedVersion"]?.GetValue<int>());
        Assert.Equal(2, row["latestVersion"]?.GetValue<int>());
        Assert.Equal("Draft", row["latestStatus"]?.GetValue<string>());
        Assert.Equal("本地修改", row["name"]?["zh-CN"]?.GetValue<string>());
        await restarted.DisposeAsync();

        // The designers who own it are told, once: another restart with the same file adds nothing.
        var again = NewServer();
        var notices = await InboxAsync(again, "staff");
        var notice = Assert.Single(notices, n => n!["kind"]?.GetValue<string>() == "shipped-workflow-kept");
        Assert.Contains(Id + ".json", notice!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(notice["readAt"]);
        Assert.DoesNotContain(await InboxAsync(again, "mediator"), n => n!["kind"]?.GetValue<string>() == "shipped-workflow-kept");
        using var designer = await again.ClientForAsync("staff", Ct);
        using var marked = await designer.PostAsync($"/api/inbox/{notice["id"]!.GetValue<string>()}/read", null, Ct);
        Assert.NotNull((await marked.ReadJsonAsync(HttpStatusCode.OK, Ct))["readAt"]?.GetValue<DateTimeOffset>());
        using var unread = await designer.GetAsync("/api/inbox?unread=true", Ct);
        Assert.Empty((await unread.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray());
    }

    private static async Task<JsonArray> InboxAsync(YishiFactory server, string userName)
    {
        using var client = await server.ClientForAsync(userName, Ct);
        using var response = await client.GetAsync("/api/inbox", Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
    }

    private static async Task<JsonNode> RowAsync(YishiFactory server)
    {
        using var staff = await server.ClientForAsync("staff", Ct);
        using var response = await staff.GetAsync("/api/definitions", Ct);
        var rows = (await response.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
        return Assert.Single(rows, r => r!["definitionId"]?.GetValue<string>() == Id)!;
    }
}
