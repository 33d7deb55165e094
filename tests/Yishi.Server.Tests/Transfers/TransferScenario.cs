using System.Net;
using System.Net.Http.Json;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Transfers;

public sealed class SqliteTransfers : TransferScenario<SqliteTestDatabase>;

public sealed class PostgreSqlTransfers : TransferScenario<PostgreSqlTestDatabase>;

/// <summary>Handing a case to another community (转办): the receiving unit works it, the sending unit keeps reading it.</summary>
public abstract class TransferScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task ATransferredCase_IsWorkedByTheReceivingUnit_AndStillReadByTheSendingOne()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("transfer"), "transfer", Ct);
        var (instanceId, taskId) = await server.StartAsync("transfer", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var mediator2 = await server.ClientForAsync("mediator2", Ct);

        using (var noReason = await mediator.PostAsJsonAsync($"/api/instances/{instanceId}/transfer", new { orgUnitId = "c2", reason = " " }, Ct))
        {
            await noReason.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        }

        using (var nowhere = await mediator.PostAsJsonAsync($"/api/instances/{instanceId}/transfer", new { orgUnitId = "c9", reason = "属地管理" }, Ct))
        {
            await nowhere.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "unknown-org-unit", Ct);
        }

        // Before the transfer the other community does not even see the case.
        using (var before = await mediator2.GetAsync($"/api/instances/{instanceId}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        using (var handed = await mediator.PostAsJsonAsync($"/api/instances/{instanceId}/transfer", new { orgUnitId = "c2", reason = "当事人住和平社区，属地管理" }, Ct))
        {
            var body = await handed.ReadJsonAsync(HttpStatusCode.OK, Ct);
            Assert.Equal(("c1", "c2"), (body["fromOrgUnitId"]!.GetValue<string>(), body["toOrgUnitId"]!.GetValue<string>()));
        }

        // The task went with the case: the sending mediator can no longer act on it, the receiving one can.
        using (var oldInbox = await mediator.GetAsync("/api/tasks?mine=true", Ct))
        {
            Assert.DoesNotContain((await oldInbox.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray(), t => t!["id"]!.GetValue<string>() == taskId);
        }

        using (var newInbox = await mediator2.GetAsync("/api/tasks?mine=true", Ct))
        {
            Assert.Contains((await newInbox.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray(), t => t!["id"]!.GetValue<string>() == taskId);
        }

        using (var again = await mediator.PostAsJsonAsync($"/api/instances/{instanceId}/transfer", new { orgUnitId = "c1", reason = "退回" }, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        using (var completed = await mediator2.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "agreed", data = new { agreement = "双方同意" } }, Ct))
        {
            await completed.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        // The sending unit still reads the case and its story; both see the transfer in it.
        using (var read = await mediator.GetAsync($"/api/instances/{instanceId}", Ct))
        {
            Assert.Equal("c2", (await read.ReadJsonAsync(HttpStatusCode.OK, Ct))["orgUnitId"]!.GetValue<string>());
        }

        foreach (var reader in new[] { mediator, mediator2 })
        {
            using var timeline = await reader.GetAsync($"/api/instances/{instanceId}/timeline", Ct);
            var texts = (await timeline.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().Select(e => e!["text"]!.GetValue<string>()).ToList();
            Assert.Equal("案件已登记。", texts[0]);
            Assert.Contains("案件由海滨社区转交和平社区：当事人住和平社区，属地管理。", texts);
            Assert.Contains("调解：已办理（agreed）。", texts);
            Assert.Equal("案件已办结。", texts[^1]);
        }

        using var english = new HttpRequestMessage(HttpMethod.Get, $"/api/instances/{instanceId}/timeline");
        english.Headers.AcceptLanguage.ParseAdd("en");
        using var inEnglish = await mediator2.SendAsync(english, Ct);
        Assert.Contains((await inEnglish.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray(),
            e => e!["text"]!.GetValue<string>() == "Handed from Haibin Community to Heping Community: 当事人住和平社区，属地管理.");

        // A resident with nothing to do with the case sees nothing of it.
        using var stranger = await server.ClientForAsync("resident5", Ct);
        using var hidden = await stranger.GetAsync($"/api/instances/{instanceId}/timeline", Ct);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }
}
