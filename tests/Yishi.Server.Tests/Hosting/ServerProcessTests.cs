using System.Net;
using Yishi.Server.Tests.Support;
using Yishi.Testing;

namespace Yishi.Server.Tests.Hosting;

/// <summary>The server as it is run: <c>dotnet Yishi.Server.dll</c> from nothing but settings.</summary>
public sealed class ServerProcessTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sqlite_FreshDataFolder_ServerComesUpHealthy()
    {
        var folder = TempFolder.Create();
        try
        {
            var database = Path.Combine(folder, "data", "yishi.db");
            using (var server = new ServerProcess(ServerProcess.Settings("Sqlite", $"Data Source={database}", folder)))
            {
                var url = await server.WaitUntilListeningAsync(StartLimit, Ct);

                Assert.Equal("Healthy", await HealthAsync(url));
                Assert.True(File.Exists(database), "The server did not create its database in the fresh data folder.");

                // Kestrel enforces Yishi:MaxRequestBytes (2 MiB) only in a real process: a larger document is the client's error.
                using var client = new HttpClient { BaseAddress = url };
                using var login = await client.PostAsync(new Uri("/api/auth/login", UriKind.Relative), Http.Json("""{"userName":"staff","password":"Demo123!"}"""), Ct);
                var token = (await login.ReadJsonAsync(HttpStatusCode.OK, Ct))["accessToken"]!.GetValue<string>();
                using var huge = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/definitions/validate", UriKind.Relative))
                {
                    Content = Http.Json("{\"definitionId\": \"" + new string('x', 3 * 1024 * 1024) + "\"}"),
                };
                huge.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                using var tooLarge = await client.SendAsync(huge, Ct);
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
            }
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    /// <summary>Two nodes of one deployment started together: migrations, roles and demo data must not trip over each other.</summary>
    [Fact]
    public async Task PostgreSql_TwoServersStartedAtOnceOnAFreshDatabase_BothComeUpHealthy()
    {
        var postgres = PostgresTestServer.ConnectionStringOrSkip();
        var connectionString = await PostgresTestServer.CreateDatabaseAsync(postgres, Ct);
        var folder = TempFolder.Create();
        try
        {
            using var first = new ServerProcess(ServerProcess.Settings("PostgreSql", connectionString, folder));
            using var second = new ServerProcess(ServerProcess.Settings("PostgreSql", connectionString, folder));
            var urls = await Task.WhenAll(first.WaitUntilListeningAsync(StartLimit, Ct), second.WaitUntilListeningAsync(StartLimit, Ct));

            Assert.NotEqual(urls[0], urls[1]);
            Assert.Equal(["Healthy", "Healthy"], await Task.WhenAll(urls.Select(HealthAsync)));
            using var client = new HttpClient { BaseAddress = urls[1] };
            using var login = await client.PostAsync(new Uri("/api/auth/login", UriKind.Relative), Http.Json("""{"userName":"resident20","password":"Demo123!"}"""), Ct);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(postgres, connectionString);
            TempFolder.Delete(folder);
        }
    }

    private static async Task<string> HealthAsync(Uri url)
    {
        using var client = new HttpClient { BaseAddress = url };
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), Ct);
        return $"{await response.Content.ReadAsStringAsync(Ct)}";
    }
}
