using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Tests.Support;
using Yishi.Server.Tests.Workflows;

namespace Yishi.Server.Tests.CaseFiles;

public sealed class SqliteCaseRating : CaseRatingScenario<SqliteTestDatabase>;

public sealed class PostgreSqlCaseRating : CaseRatingScenario<PostgreSqlTestDatabase>;

/// <summary>
/// A party rates how their mediation case was handled, themselves, while the case asks for it (it waits at the
/// record-rating task): once, validated, kept in the case file for staff and not shown to the other party.
/// </summary>
public abstract class CaseRatingScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private async Task<DisputeMediationCase> RegisterAsync()
    {
        var shipped = Path.Combine(Yishi.Server.Hosting.RepositoryPaths.Root(AppContext.BaseDirectory), "workflows", "dispute-mediation.json");
        File.Copy(shipped, Path.Combine(WorkflowsFolder, "dispute-mediation.json"));
        Notifications.NotifyWorkflows.CopyShippedTemplates(TemplatesFolder);
        var clock = new ManualClock();
        var server = NewServer().WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        return await DisputeMediationCase.RegisterAsync(server, clock, Ct);
    }

    /// <summary>The shortest way to the rating: accepted, agreed to, assigned, mediation failed.</summary>
    private static async Task ToRatingAsync(DisputeMediationCase @case)
    {
        await @case.CompleteAsync("review", "accept", new JsonObject { ["mediator"] = "王秀英" });
        await @case.CompleteAsync("consent", "agreed");
        await @case.CompleteAsync("assign", "assigned", new JsonObject { ["mediator"] = "王秀英" }, "supervisor");
        await @case.CompleteAsync("mediate", "failed", new JsonObject { ["failure_reason"] = "双方对赔偿金额分歧较大。" });
        await @case.TaskAsync("record-rating");
    }

    [Fact]
    public async Task Rating_BeforeTheCaseAsksForIt_IsRefused()
    {
        var @case = await RegisterAsync();
        using var applicant = await @case.Server.SignedInClientAsync("resident1", Ct);

        using var view = await applicant.GetAsync($"/api/instances/{@case.Id}/rating", Ct);
        Assert.False((await view.ReadJsonAsync(HttpStatusCode.OK, Ct))["open"]!.GetValue<bool>());
        using var early = await applicant.PostAsJsonAsync($"/api/instances/{@case.Id}/rating", new { rating = "satisfied" }, Ct);
        Assert.Equal("urn:yishi:problem:rating-not-open", (await early.ReadJsonAsync(HttpStatusCode.Conflict, Ct))["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task APartyRates_Once_StaffSeeItInTheCaseFile_TheOtherPartyDoesNot()
    {
        var @case = await RegisterAsync();
        await ToRatingAsync(@case);
        using var applicant = await @case.Server.SignedInClientAsync("resident1", Ct);
        using var respondent = await @case.Server.SignedInClientAsync("resident2", Ct);

        using (var view = await applicant.GetAsync($"/api/instances/{@case.Id}/rating", Ct))
        {
            var open = await view.ReadJsonAsync(HttpStatusCode.OK, Ct);
            Assert.True(open["open"]!.GetValue<bool>());
            Assert.Null(open["rating"]);
        }

        // Bad input is refused field by field, and nothing is kept.
        using (var bad = await applicant.PostAsJsonAsync($"/api/instances/{@case.Id}/rating", new { rating = "great", comment = new string('长', 1001) }, Ct))
        {
            var problem = await bad.ReadJsonAsync(HttpStatusCode.BadRequest, Ct);
            var fields = problem["problems"]!.AsArray().Select(p => p!["path"]?.GetValue<string>() ?? p!["property"]?.GetValue<string>()).ToList();
            Assert.Equal(2, fields.Count);
        }

        using (var rated = await applicant.PostAsJsonAsync($"/api/instances/{@case.Id}/rating", new { rating = "partly-satisfied", comment = "调解员很耐心，但结果不理想。" }, Ct))
        {
            var body = await rated.ReadJsonAsync(HttpStatusCode.Created, Ct);
            Assert.Equal("partly-satisfied", body["rating"]!.GetValue<string>());
        }

        using (var again = await applicant.PostAsJsonAsync($"/api/instances/{@case.Id}/rating", new { rating = "satisfied" }, Ct))
        {
            Assert.Equal("urn:yishi:problem:already-rated", (await again.ReadJsonAsync(HttpStatusCode.Conflict, Ct))["type"]!.GetValue<string>());
        }

        using (var view = await applicant.GetAsync($"/api/instances/{@case.Id}/rating", Ct))
        {
            var mine = await view.ReadJsonAsync(HttpStatusCode.OK, Ct);
            Assert.Equal(("partly-satisfied", false), (mine["rating"]!.GetValue<string>(), mine["open"]!.GetValue<bool>()));
        }

        // Staff read it in the case file, with its author masked.
        using var mediator = await @case.Server.SignedInClientAsync("mediator", Ct);
        using (var records = await mediator.GetAsync($"/api/instances/{@case.Id}/records", Ct))
        {
            var rating = (await records.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().Single(r => r!["kind"]!.GetValue<string>() == "rating")!;
            Assert.Equal(("partly-satisfied", "调解员很耐心，但结果不理想。"), (rating["title"]!.GetValue<string>(), rating["text"]!.GetValue<string>()));
            Assert.EndsWith("*", rating["author"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // The other party reads the case file without it, and can still give their own.
        using (var records = await respondent.GetAsync($"/api/instances/{@case.Id}/records", Ct))
        {
            Assert.DoesNotContain((await records.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray(), r => r!["kind"]!.GetValue<string>() == "rating");
        }

        using (var theirs = await respondent.PostAsJsonAsync($"/api/instances/{@case.Id}/rating", new { rating = "dissatisfied" }, Ct))
        {
            await theirs.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        // Staff and residents who are not parties meet the same 404 as for a case that does not exist.
        using var outsider = await @case.Server.SignedInClientAsync("resident3", Ct);
        using (var notTheirs = await outsider.PostAsJsonAsync($"/api/instances/{@case.Id}/rating", new { rating = "satisfied" }, Ct))
        {
            await notTheirs.ReadJsonAsync(HttpStatusCode.NotFound, Ct);
        }

        using (var staff = await mediator.PostAsJsonAsync($"/api/instances/{@case.Id}/rating", new { rating = "satisfied" }, Ct))
        {
            await staff.ReadJsonAsync(HttpStatusCode.NotFound, Ct);
        }
    }
}
