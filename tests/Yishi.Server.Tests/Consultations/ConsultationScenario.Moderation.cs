using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Consultations;

/// <summary>Sensitive words, reports and staff review; and the 效果共评 evaluation.</summary>
public abstract partial class ConsultationScenario<TDatabase>
{
    [Fact]
    public async Task SensitiveWordsAndReports_KeepOpinionsFromView_UntilStaffDecideWithAReason()
    {
        var (_, id) = await StartAsync(ConsultationWorkflows.Opinions("lift"), "lift");

        // Spaces and punctuation do not hide the word; the author is told, and sees it as held.
        var held = await PostOpinionAsync("resident1", id, "oppose", "物业就是个骗，子！", HttpStatusCode.Accepted);
        Assert.Equal("held", held["status"]!.GetValue<string>());
        Assert.NotNull(held["note"]);
        var noisy = await PostOpinionAsync("resident2", id, "oppose", "施工太吵了。", HttpStatusCode.Created);
        var heldId = held["id"]!.GetValue<string>();
        var noisyId = noisy["id"]!.GetValue<string>();
        var before = await GetAsync("resident12", $"/api/consultations/{id}/opinions");
        Assert.Equal([noisyId], before["opinions"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));
        Assert.Equal(2, before["counts"]!["oppose"]!.GetValue<int>());

        // Reports: one per resident, never one's own, only of what can be seen; the second distinct report hides it.
        await ReportAsync("resident2", heldId, HttpStatusCode.NotFound);
        Assert.False((await ReportAsync("resident6", noisyId, HttpStatusCode.Created))["hidden"]!.GetValue<bool>());
        await ReportAsync("resident6", noisyId, HttpStatusCode.Conflict);
        await ReportAsync("resident2", noisyId, HttpStatusCode.BadRequest);
        Assert.True((await ReportAsync("resident11", noisyId, HttpStatusCode.Created))["hidden"]!.GetValue<bool>());
        Assert.Empty((await GetAsync("resident12", $"/api/consultations/{id}/opinions"))["opinions"]!.AsArray());
        Assert.Equal("reported", (await GetAsync("resident2", $"/api/consultations/{id}"))["myOpinion"]!["status"]!.GetValue<string>());

        var queue = (await GetAsync("staff", "/api/consultations/review")).AsArray();
        Assert.Equal(["held", "reported"], queue.Select(q => q!["status"]!.GetValue<string>()).Order());
        var reported = Assert.Single(queue, q => q!["opinionId"]!.GetValue<string>() == noisyId)!;
        Assert.Equal(2, reported["reports"]!.GetValue<int>());
        Assert.Contains("与议题无关", reported["reportReasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        using (var resident = await (await As("resident1")).GetAsync("/api/consultations/review", Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, resident.StatusCode);
        }

        using (var noReason = await (await As("staff")).PostAsJsonAsync($"/api/consultations/opinions/{heldId}/hide", new { }, Ct))
        {
            await noReason.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        }

        var hidden = await PostAsync("staff", $"/api/consultations/opinions/{heldId}/hide", new { reason = "含有侮辱性言语" }, HttpStatusCode.OK);
        Assert.Equal("hidden", hidden["status"]!.GetValue<string>());
        Assert.Contains("含有侮辱性言语", (await GetAsync("resident1", $"/api/consultations/{id}"))["myOpinion"]!["note"]!.GetValue<string>(), StringComparison.Ordinal);
        await PostAsync("staff", $"/api/consultations/opinions/{noisyId}/restore", new { reason = "属正常意见" }, HttpStatusCode.OK);
        using (var twice = await (await As("staff")).PostAsJsonAsync($"/api/consultations/opinions/{noisyId}/restore", new { reason = "再次" }, Ct))
        {
            await twice.ReadProblemAsync(HttpStatusCode.Conflict, "already-published", Ct);
        }

        Assert.Equal([noisyId], (await GetAsync("resident12", $"/api/consultations/{id}/opinions"))["opinions"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));
        Assert.Empty((await GetAsync("staff", "/api/consultations/review")).AsArray());
        // Reports staff already looked at do not count again: one new report is not two.
        Assert.False((await ReportAsync("resident12", noisyId, HttpStatusCode.Created))["hidden"]!.GetValue<bool>());
        // Editing a hidden opinion sends it back to staff instead of publishing it.
        Assert.Equal("held", (await PostOpinionAsync("resident1", id, "oppose", "物业服务有待改进。", HttpStatusCode.Accepted))["status"]!.GetValue<string>());
        using (var otherCommunity = await (await As("mediator2")).PostAsJsonAsync($"/api/consultations/opinions/{noisyId}/hide", new { reason = "越权" }, Ct))
        {
            await otherCommunity.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        }

        var entries = (await GetAsync("staff", $"/api/audit?subject=consultation:{id}")).AsArray();
        var kinds = entries.Select(e => e!["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(2, kinds.Count(k => k == "opinion.held"));
        Assert.Single(kinds, k => k == "opinion.reported-threshold");
        var hide = JsonNode.Parse(Assert.Single(entries, e => e!["kind"]!.GetValue<string>() == "opinion.hidden")!["data"]!.GetValue<string>())!;
        Assert.Equal("含有侮辱性言语", hide["reason"]!.GetValue<string>());
        Assert.Equal("held", hide["from"]!.GetValue<string>());
        var restore = JsonNode.Parse(Assert.Single(entries, e => e!["kind"]!.GetValue<string>() == "opinion.restored")!["data"]!.GetValue<string>())!;
        Assert.Equal("reported", restore["from"]!.GetValue<string>());
        Assert.DoesNotContain("骗", string.Concat(entries.Select(e => e!["data"]!.GetValue<string>())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEvaluation_TakesOneSetOfScoresPerResident_AndAveragesThem()
    {
        var (instanceId, id) = await StartAsync(ConsultationWorkflows.Evaluation("cleaning"), "cleaning");

        await PostAsync("resident1", $"/api/consultations/{id}/evaluations", new { scores = new { clean = 4, timely = 5 }, comment = "明显改善" }, HttpStatusCode.Created);
        await PostAsync("resident2", $"/api/consultations/{id}/evaluations", new { scores = new { clean = 2, timely = 4 } }, HttpStatusCode.Created);
        foreach (var (user, body, status, problem) in new (string, object, HttpStatusCode, string)[]
                 {
                     ("resident1", new { scores = new { clean = 5, timely = 5 } }, HttpStatusCode.Conflict, "already-evaluated"),
                     ("resident6", new { scores = new { clean = 6, timely = 5 } }, HttpStatusCode.BadRequest, "bad-scores"),
                     ("resident6", new { scores = new { clean = 0, timely = 5 } }, HttpStatusCode.BadRequest, "bad-scores"),
                     ("resident6", new { scores = new { clean = 3 } }, HttpStatusCode.BadRequest, "bad-scores"),
                     ("resident6", new { scores = new { clean = 3, timely = 3, noise = 1 } }, HttpStatusCode.BadRequest, "bad-scores"),
                     ("resident6", new { scores = new { clean = 3.5, timely = 3 } }, HttpStatusCode.BadRequest, "bad-scores"),
                     ("resident6", new { }, HttpStatusCode.BadRequest, "bad-scores"),
                 })
        {
            using var answer = await (await As(user)).PostAsJsonAsync($"/api/consultations/{id}/evaluations", body, Ct);
            await answer.ReadProblemAsync(status, problem, Ct);
        }

        using (var opinion = await (await As("resident6")).PostAsJsonAsync($"/api/consultations/{id}/opinions", new { stance = "support", text = "好" }, Ct))
        {
            await opinion.ReadProblemAsync(HttpStatusCode.BadRequest, "wrong-kind", Ct);
        }

        using (var tooSoon = await (await As("resident1")).GetAsync($"/api/consultations/{id}/evaluations", Ct))
        {
            await tooSoon.ReadProblemAsync(HttpStatusCode.Conflict, "results-after-close", Ct);
        }

        var staffView = await GetAsync("staff", $"/api/consultations/{id}/evaluations");
        Assert.Equal(2, staffView["count"]!.GetValue<int>());
        Assert.Equal(3.0, staffView["averages"]!["clean"]!.GetValue<double>());
        Assert.Equal(4.5, staffView["averages"]!["timely"]!.GetValue<double>());
        Assert.Equal(3.75, staffView["average"]!.GetValue<double>());
        Assert.True((await GetAsync("resident1", $"/api/consultations/{id}"))["evaluated"]!.GetValue<bool>());

        var closed = await PostAsync("staff", $"/api/consultations/{id}/close", new { }, HttpStatusCode.OK);
        Assert.Equal(2, closed["tally"]!["evaluations"]!.GetValue<int>());
        Assert.Equal(4.5, (await GetAsync("resident6", $"/api/consultations/{id}/evaluations"))["averages"]!["timely"]!.GetValue<double>());
        await PostAsync("staff", $"/api/consultations/{id}/summary", new { text = "保洁效果总体满意。" }, HttpStatusCode.OK);
        var instance = await GetAsync("mediator", $"/api/instances/{instanceId}");
        Assert.Equal("Completed", instance["status"]!.GetValue<string>());
        Assert.Equal(3.0, instance["result"]!["averages"]!["clean"]!.GetValue<double>());
        var kinds = (await GetAsync("staff", $"/api/audit?subject=consultation:{id}")).AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(2, kinds.Count(k => k == "evaluation.submitted"));
        Assert.Contains("consultation.closed", kinds);
    }

    private Task<JsonNode> ReportAsync(string userName, string opinionId, HttpStatusCode expected) =>
        PostAsync(userName, $"/api/consultations/opinions/{opinionId}/reports", new { reason = "与议题无关" }, expected);
}
