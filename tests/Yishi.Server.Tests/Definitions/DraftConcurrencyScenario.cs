using System.Net;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Definitions;

public sealed class SqliteDraftConcurrency : DraftConcurrencyScenario<SqliteTestDatabase>;

public sealed class PostgreSqlDraftConcurrency : DraftConcurrencyScenario<PostgreSqlTestDatabase>;

/// <summary>Two designers editing one draft: the second save, made from a stale copy, is refused instead of overwriting.</summary>
public abstract class DraftConcurrencyScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task SaveDraft_WithCurrentETag_Succeeds_WithStaleETag_Returns412_WithoutIfMatch_Returns428()
    {
        var server = NewServer();
        using var staff = await server.ClientForAsync("staff", Ct);
        using (var created = await staff.PostAsync("/api/definitions", Http.Json(SampleWorkflows.Mediation("edited", "初稿")), Ct))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        string original;
        using (var read = await staff.GetAsync("/api/definitions/edited", Ct))
        {
            await read.ReadJsonAsync(HttpStatusCode.OK, Ct);
            original = read.Headers.ETag?.ToString() ?? throw new InvalidOperationException("GET gave no ETag.");
        }

        string saved;
        using (var first = new HttpRequestMessage(HttpMethod.Put, "/api/definitions/edited/draft") { Content = Http.Json(SampleWorkflows.Mediation("edited", "第二稿")) })
        {
            first.Headers.TryAddWithoutValidation("If-Match", original);
            using var response = await staff.SendAsync(first, Ct);
            var body = await response.ReadJsonAsync(HttpStatusCode.OK, Ct);
            Assert.Equal("第二稿", body["definition"]?["name"]?["zh-CN"]?.GetValue<string>());
            saved = response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("PUT gave no ETag.");
            Assert.NotEqual(original, saved);
        }

        using (var stale = new HttpRequestMessage(HttpMethod.Put, "/api/definitions/edited/draft") { Content = Http.Json(SampleWorkflows.Mediation("edited", "冲突稿")) })
        {
            stale.Headers.TryAddWithoutValidation("If-Match", original);
            using var response = await staff.SendAsync(stale, Ct);
            await response.ReadProblemAsync(HttpStatusCode.PreconditionFailed, "edited-meanwhile", Ct);
        }

        using (var unconditional = new HttpRequestMessage(HttpMethod.Put, "/api/definitions/edited/draft") { Content = Http.Json(SampleWorkflows.Mediation("edited", "无条件稿")) })
        {
            using var response = await staff.SendAsync(unconditional, Ct);
            await response.ReadProblemAsync(HttpStatusCode.PreconditionRequired, "if-match-required", Ct);
        }

        using var after = await staff.GetAsync("/api/definitions/edited", Ct);
        var current = await after.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal("第二稿", current["definition"]?["name"]?["zh-CN"]?.GetValue<string>());
        Assert.Equal(saved, after.Headers.ETag?.ToString());
        Assert.Equal(1, current["version"]?.GetValue<int>());
    }
}
