using System.Net;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Hosting;

public sealed class SqlitePublicEndpoints : PublicEndpointsScenario<SqliteTestDatabase>;

public sealed class PostgreSqlPublicEndpoints : PublicEndpointsScenario<PostgreSqlTestDatabase>;

/// <summary>What a load balancer and an API client read without signing in.</summary>
public abstract class PublicEndpointsScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task Health_Anonymous_ReturnsHealthy()
    {
        using var anonymous = NewServer().Anonymous();

        using var response = await anonymous.GetAsync("/health", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task OpenApi_Anonymous_DescribesTheTaskCompletion()
    {
        using var anonymous = NewServer().Anonymous();

        using var response = await anonymous.GetAsync("/openapi/v1.json", Ct);

        var document = await response.ReadJsonAsync(HttpStatusCode.OK, Ct);
        var paths = document["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/tasks/{id}/complete"), string.Join(", ", paths.Select(p => p.Key)));
        Assert.NotNull(paths["/api/tasks/{id}/complete"]!["post"]);
        Assert.True(paths.ContainsKey("/api/definitions/{definitionId}/draft"));
    }
}
