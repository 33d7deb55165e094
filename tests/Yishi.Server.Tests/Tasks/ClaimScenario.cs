using System.Net;
using System.Net.Http.Json;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Tasks;

public sealed class SqliteClaim : ClaimScenario<SqliteTestDatabase>;

public sealed class PostgreSqlClaim : ClaimScenario<PostgreSqlTestDatabase>;

/// <summary>Two mediators of one community see the same task in their role's inbox; the first to take it owns it.</summary>
public abstract class ClaimScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task ClaimTask_FirstMediatorOwnsIt_SecondGetsConflictAndCannotComplete()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("claim"), "claim", Ct);
        var (_, taskId) = await server.StartAsync("claim", Ct);
        await server.CreateUserAsync("mediator-c1", "c1", "mediator", Ct);
        using var first = await server.ClientForAsync("mediator", Ct);
        using var second = await server.ClientForAsync("mediator-c1", Ct);
        var firstId = await server.UserIdAsync("mediator", Ct);

        using var claimed = await first.PostAsync($"/api/tasks/{taskId}/claim", null, Ct);
        using var late = await second.PostAsync($"/api/tasks/{taskId}/claim", null, Ct);
        using var completeByOther = await second.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "agreed", data = new { agreement = "同意" } }, Ct);
        using var completeByOwner = await first.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "agreed", data = new { agreement = "同意" } }, Ct);

        Assert.Equal(firstId, (await claimed.ReadJsonAsync(HttpStatusCode.OK, Ct))["userId"]!.GetValue<string>());
        await late.ReadProblemAsync(HttpStatusCode.Conflict, "already-claimed", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, completeByOther.StatusCode);
        Assert.Equal(HttpStatusCode.OK, completeByOwner.StatusCode);
    }
}
