using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Yishi.Server.Tests.Support;
using Yishi.Testing;

namespace Yishi.Server.Tests.Hosting;

/// <summary>
/// Real server processes on one PostgreSQL database: every timer fires once, a node killed with its timers
/// pending loses none, and a server killed and started again fires what fell due meanwhile.
/// </summary>
public sealed class TwoNodeTimerTests
{
    private const int PerNode = 10;
    private static readonly TimeSpan Due = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostgreSql_NodeKilledBeforeItsTimersFall_Due_TheOtherFiresEachOnce()
    {
        var postgres = PostgresTestServer.ConnectionStringOrSkip();
        var connectionString = await PostgresTestServer.CreateDatabaseAsync(postgres, Ct);
        var folder = TempFolder.Create();
        try
        {
            var settings = ServerProcess.Settings("PostgreSql", connectionString, folder);
            var doomed = new ServerProcess(settings);
            using var survivor = new ServerProcess(settings);
            var urls = await Task.WhenAll(doomed.WaitUntilListeningAsync(TimeSpan.FromMinutes(1), Ct), survivor.WaitUntilListeningAsync(TimeSpan.FromMinutes(1), Ct));
            using var onDoomed = await ClientAsync(urls[0], "staff");
            await SendAsync(onDoomed, HttpMethod.Post, "/api/definitions", $$"""
                { "definitionId": "cool-off", "name": "Cooling-off period",
                  "activities": [ { "id": "start", "type": "Start" },
                    { "id": "wait", "type": "Delay", "properties": { "duration": "PT{{Due.TotalSeconds}}S" } },
                    { "id": "end", "type": "End" } ],
                  "connections": [ { "from": "start", "to": "wait" }, { "from": "wait", "to": "end" } ] }
                """, HttpStatusCode.Created);
            await SendAsync(onDoomed, HttpMethod.Post, "/api/definitions/cool-off/publish", null, HttpStatusCode.OK);
            using var mediatorOnDoomed = await ClientAsync(urls[0], "mediator");
            using var mediatorOnSurvivor = await ClientAsync(urls[1], "mediator");

            var clock = Stopwatch.StartNew();
            var ids = new List<string>();
            foreach (var client in new[] { mediatorOnDoomed, mediatorOnSurvivor })
            {
                for (var i = 0; i < PerNode; i++)
                {
                    var started = await SendAsync(client, HttpMethod.Post, "/api/instances", """{ "definitionId": "cool-off" }""", HttpStatusCode.Created);
                    ids.Add(started["id"]!.GetValue<string>());
                }
            }

            doomed.Dispose(); // SIGKILL
            Assert.True(clock.Elapsed < Due, "the timers fell due before the node was killed; the test proves nothing");

            var waited = Stopwatch.StartNew();
            var open = ids.ToList();
            while (open.Count > 0 && waited.Elapsed < TimeSpan.FromSeconds(45))
            {
                await Task.Delay(250, Ct);
                var statuses = await Task.WhenAll(open.Select(async id => (id, (await SendAsync(mediatorOnSurvivor, HttpMethod.Get, $"/api/instances/{id}", null, HttpStatusCode.OK))["status"]!.GetValue<string>())));
                open = [.. statuses.Where(s => s.Item2 != "Completed").Select(s => s.id)];
            }

            Assert.Empty(open);
            foreach (var id in ids)
            {
                var journal = (await SendAsync(mediatorOnSurvivor, HttpMethod.Get, $"/api/instances/{id}/journal", null, HttpStatusCode.OK)).AsArray();
                Assert.Single(journal, e => e!["kind"]!.GetValue<string>() == "BookmarkResumed");
            }
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(postgres, connectionString);
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task PostgreSql_ServerKilledAndStartedAgainAfterTheDueTime_FiresTheTimerOnceAtStartUp()
    {
        var postgres = PostgresTestServer.ConnectionStringOrSkip();
        var connectionString = await PostgresTestServer.CreateDatabaseAsync(postgres, Ct);
        var folder = TempFolder.Create();
        try
        {
            var settings = ServerProcess.Settings("PostgreSql", connectionString, folder);
            string id;
            var clock = Stopwatch.StartNew();
            using (var first = new ServerProcess(settings))
            {
                var url = await first.WaitUntilListeningAsync(TimeSpan.FromMinutes(1), Ct);
                using var staff = await ClientAsync(url, "staff");
                await SendAsync(staff, HttpMethod.Post, "/api/definitions", """
                    { "definitionId": "cool-off", "name": "Cooling-off period",
                      "activities": [ { "id": "start", "type": "Start" }, { "id": "wait", "type": "Delay", "properties": { "duration": "PT3S" } }, { "id": "end", "type": "End" } ],
                      "connections": [ { "from": "start", "to": "wait" }, { "from": "wait", "to": "end" } ] }
                    """, HttpStatusCode.Created);
                await SendAsync(staff, HttpMethod.Post, "/api/definitions/cool-off/publish", null, HttpStatusCode.OK);
                using var mediator = await ClientAsync(url, "mediator");
                clock.Restart();
                id = (await SendAsync(mediator, HttpMethod.Post, "/api/instances", """{ "definitionId": "cool-off" }""", HttpStatusCode.Created))["id"]!.GetValue<string>();
            } // SIGKILL

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "the timer fell due before the server was killed; the test proves nothing");
            await Task.Delay(TimeSpan.FromSeconds(4) - clock.Elapsed, Ct);
            using var second = new ServerProcess(settings);
            using var again = await ClientAsync(await second.WaitUntilListeningAsync(TimeSpan.FromMinutes(1), Ct), "mediator");
            var waited = Stopwatch.StartNew();
            var status = "";
            while (status != "Completed" && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                status = (await SendAsync(again, HttpMethod.Get, $"/api/instances/{id}", null, HttpStatusCode.OK))["status"]!.GetValue<string>();
                await Task.Delay(200, Ct);
            }

            Assert.Equal("Completed", status);
            var journal = (await SendAsync(again, HttpMethod.Get, $"/api/instances/{id}/journal", null, HttpStatusCode.OK)).AsArray();
            Assert.Single(journal, e => e!["kind"]!.GetValue<string>() == "BookmarkResumed");
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(postgres, connectionString);
            TempFolder.Delete(folder);
        }
    }

    private static async Task<HttpClient> ClientAsync(Uri url, string userName)
    {
        var client = new HttpClient { BaseAddress = url };
        var login = await SendAsync(client, HttpMethod.Post, "/api/auth/login", $$"""{"userName":"{{userName}}","password":"Demo123!"}""", HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login["accessToken"]!.GetValue<string>());
        return client;
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> SendAsync(HttpClient client, HttpMethod method, string path, string? json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = json is null ? null : Http.Json(json) };
        using var response = await client.SendAsync(request, Ct);
        return await response.ReadJsonAsync(expected, Ct);
    }
}
