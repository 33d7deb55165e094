using System.Net;
using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Yishi.Designer.Api;
using Yishi.Designer.Pages;

namespace Yishi.Designer.Tests.Components;

/// <summary>The dashboard page draws the server's figures as charts with tables, and a refused filter keeps what was shown and says why.</summary>
public sealed class DashboardPageTests : BunitContext
{
    /// <summary>GET /api/dashboard as the server answers it; another community's unit is refused with a ProblemDetails.</summary>
    private sealed class DashboardServer : HttpMessageHandler, IDesignerBackend
    {
        public List<string> Queries { get; } = [];

        private const string Figures = """
            {
              "orgUnitId": "s1", "definitionId": null, "days": 30, "since": "2026-10-01T00:00:00Z", "now": "2026-10-31T00:00:00Z", "openCases": 4,
              "openByWorkflow": [
                { "definitionId": "dispute-mediation", "name": { "zh": "人民调解", "en": "Dispute mediation" }, "open": 3, "waiting": 3, "running": 0, "faulted": 0 },
                { "definitionId": "resident-vote", "name": { "zh": "居民表决", "en": "Residents' vote" }, "open": 1, "waiting": 1, "running": 0, "faulted": 0 } ],
              "openBySteps": [
                { "definitionId": "dispute-mediation", "activityId": "review", "name": { "zh": "审查", "en": "Review" }, "kind": "HumanTask", "cases": 3 } ],
              "overdue": { "total": 2, "byWorkflow": [ { "definitionId": "dispute-mediation", "name": { "zh": "人民调解", "en": "Dispute mediation" }, "count": 2 } ] },
              "handling": { "completed": 2, "averageWorkingDays": 3.5,
                "byWorkflow": [ { "definitionId": "dispute-mediation", "name": { "zh": "人民调解", "en": "Dispute mediation" }, "completed": 2, "averageWorkingDays": 3.5 } ] },
              "transfers": { "total": 0, "byReceivingUnit": [] },
              "ballots": [ { "ballotId": "b1", "instanceId": "i9", "title": { "zh": "停车位方案", "en": "Parking plan" }, "status": "open",
                             "electorate": 8, "voted": 2, "turnoutPercent": 25.0, "closesAt": "2026-11-02T00:00:00Z" } ],
              "orgUnits": [ { "id": "s1", "name": { "zh": "街道", "en": "Street" } }, { "id": "c1", "name": { "zh": "海滨社区", "en": "Haibin" } } ],
              "workflows": [ { "id": "dispute-mediation", "name": { "zh": "人民调解", "en": "Dispute mediation" } } ]
            }
            """;

        public Task<HttpClient> ClientAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new HttpClient(this, disposeHandler: false) { BaseAddress = new Uri("http://yishi.test/") });

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = request.RequestUri!.PathAndQuery;
            Queries.Add(query);
            return Task.FromResult(query.Contains("orgUnitId=c1", StringComparison.Ordinal)
                ? new HttpResponseMessage(HttpStatusCode.Forbidden)
                {
                    Content = new StringContent("""{"type":"outside-your-org-unit","title":"Forbidden","status":403,"detail":"You see the figures of your own org unit and the units below it, not of 'c1'."}""",
                        Encoding.UTF8, "application/problem+json"),
                }
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Figures, Encoding.UTF8, "application/json") });
        }
    }

    private readonly DashboardServer _server = new();

    public DashboardPageTests()
    {
        Services.AddMudServices();
        Services.AddScoped<PageText>();
        Services.AddSingleton<IDesignerBackend>(_server);
        Services.AddScoped<DashboardApi>();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void TheFigures_AreDrawnAsChartsWithTheSameNumbersInTables()
    {
        var page = Render<Dashboard>();

        page.WaitForAssertion(() => Assert.Equal("4", page.Find("[data-test=figure-open] dd").TextContent));
        Assert.Equal("2", page.Find("[data-test=figure-overdue] dd").TextContent);
        Assert.Equal("3.5 个工作日", page.Find("[data-test=figure-handling] dd").TextContent);
        Assert.Equal(["人民调解3", "居民表决1"], page.FindAll("[data-test=table-open] tbody tr").Select(r => r.TextContent.Replace(" ", "", StringComparison.Ordinal)));
        Assert.Contains("人民调解 3; 居民表决 1", page.Find("[data-test=chart-open] svg desc").TextContent, StringComparison.Ordinal);
        // Three of four open cases: the first slice is 75 of the circle's 100.
        Assert.StartsWith("75 25", page.FindAll("[data-test=chart-open] circle[stroke-dasharray]")[0].GetAttribute("stroke-dasharray"), StringComparison.Ordinal);
        // Turnout is drawn against 100 %: a quarter of the bars' room (360 px).
        Assert.Equal("90", page.Find("[data-test=chart-turnout] rect").GetAttribute("width"));
        Assert.Contains("25% (2/8)", page.Find("[data-test=table-turnout]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-test=chart-transfers-empty]"));
        Assert.Equal(["", "s1", "c1"], page.FindAll("#dash-unit option").Select(o => o.GetAttribute("value") ?? ""));
    }

    [Fact]
    public void ARefusedUnit_KeepsTheFiguresShown_AndSaysWhy()
    {
        var page = Render<Dashboard>();
        page.WaitForAssertion(() => Assert.Equal("4", page.Find("[data-test=figure-open] dd").TextContent));

        page.Find("#dash-unit").Change("c1");

        page.WaitForAssertion(() => Assert.Contains("not of 'c1'", page.Find("[data-test=dashboard-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal("4", page.Find("[data-test=figure-open] dd").TextContent);
        Assert.Equal("api/dashboard?days=30&orgUnitId=c1", _server.Queries[^1].TrimStart('/'));

        // The next choice starts from the figures shown, not from the refused unit.
        page.Find("#dash-days").Change("90");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-test=dashboard-error]")));
        Assert.Equal("api/dashboard?days=90", _server.Queries[^1].TrimStart('/'));
    }
}
