using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Yishi.Designer.Api;

namespace Yishi.Designer.Tests.Components;

/// <summary>A task goes to a role, or to a person found by name among the staff the server lets the designer see, masked as it answers.</summary>
public sealed class AssigneePickerTests : BunitContext
{
    /// <summary>The staff search as the server answers it (already masked), and the queries it was asked.</summary>
    private sealed class StaffServer : HttpMessageHandler, IDesignerBackend
    {
        public List<string> Queries { get; } = [];

        public bool Down { get; set; }

        private static readonly JsonArray People = JsonNode.Parse("""
            [{ "id": "u-wang", "displayName": "王**", "phone": "138****1234", "orgUnitId": "c1", "roles": ["mediator"] },
             { "id": "u-li", "displayName": "李**", "phone": null, "orgUnitId": "c1", "roles": ["mediator", "supervisor"] }]
            """)!.AsArray();

        public Task<HttpClient> ClientAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new HttpClient(this, disposeHandler: false) { BaseAddress = new Uri("http://yishi.test/") });

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Queries.Add(request.RequestUri!.PathAndQuery);
            if (Down)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
            }

            var search = Uri.UnescapeDataString(request.RequestUri.Query.Replace("?search=", "", StringComparison.Ordinal));
            var found = People.Where(p => search.Length == 0 || p!["id"]!.GetValue<string>() == search || p["displayName"]!.GetValue<string>().StartsWith(search[..1], StringComparison.Ordinal));
            var body = new JsonArray([.. found.Select(p => p!.DeepClone())]).ToJsonString();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }

    private readonly StaffServer _server = new();

    public AssigneePickerTests()
    {
        Services.AddMudServices();
        Services.AddScoped<PageText>();
        Services.AddSingleton<IDesignerBackend>(_server);
        Services.AddScoped<DesignerApi>();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private IRenderedComponent<PropertyHost> RenderAssignee(JsonNode? value) =>
        Render<PropertyHost>(p => p
            .Add(e => e.Property, EngineCheck.Property("HumanTask", "assignee"))
            .Add(e => e.Value, value));

    [Fact]
    public void ByRole_TheRoleIsChosenFromAList_WithItsOwnLabel()
    {
        var editor = RenderAssignee(null);

        editor.Find("#prop-review-assignee").Change("mediator");

        Assert.Equal("""{"role":"mediator"}""", editor.Instance.Current!.ToJsonString());
        Assert.Contains("角色", editor.Find("label[for=prop-review-assignee]").TextContent, StringComparison.Ordinal);
        Assert.Empty(_server.Queries);
    }

    [Fact]
    public void ByUser_APersonIsFoundByName_ShownMasked_AndStoredById()
    {
        var editor = RenderAssignee(null);

        editor.Find("#prop-review-assignee-kind").Change("user");
        editor.Find("#prop-review-assignee-search").Input("王");
        editor.WaitForElement("#prop-review-assignee-user-u-wang");

        Assert.Equal("王** · 138****1234 · mediator · c1", editor.Find("label[for=prop-review-assignee-user-u-wang]").TextContent.Trim());
        Assert.Contains("/api/staff?search=%E7%8E%8B", _server.Queries);
        editor.Find("#prop-review-assignee-user-u-wang").Change(true);

        Assert.Equal("""{"user":"u-wang"}""", editor.Instance.Current!.ToJsonString());
        var task = new JsonObject
        {
            ["id"] = "review",
            ["type"] = "HumanTask",
            ["properties"] = new JsonObject { ["title"] = "审查", ["outcomes"] = new JsonArray("done"), ["assignee"] = editor.Instance.Current!.DeepClone() },
        };
        Assert.Empty(EngineCheck.ProblemsOn(EngineCheck.Definition(task, ["done"]), "review"));
    }

    [Fact]
    public void ATaskThatNamesAPerson_ShowsWhoThatIs_NotJustTheId()
    {
        var editor = RenderAssignee(new JsonObject { ["user"] = "u-li" });

        editor.WaitForAssertion(() => Assert.Contains("李**", editor.Find("[data-test=user-chosen]").TextContent, StringComparison.Ordinal));
        Assert.Equal(["/api/staff?search=u-li"], _server.Queries);
        Assert.Empty(editor.Instance.Writes);
    }

    [Fact]
    public void WhenTheSearchFails_TheIdCanStillBeTyped()
    {
        _server.Down = true;
        var editor = RenderAssignee(null);

        editor.Find("#prop-review-assignee-kind").Change("user");
        editor.WaitForElement("#prop-review-assignee");
        editor.Find("#prop-review-assignee").Change("u-17");

        Assert.Equal("""{"user":"u-17"}""", editor.Instance.Current!.ToJsonString());
    }

    [Fact]
    public void EveryControl_HasALabel()
    {
        var editor = RenderAssignee(null);
        editor.Find("#prop-review-assignee-kind").Change("user");
        editor.WaitForElement("#prop-review-assignee-user-u-li");

        foreach (var control in editor.FindAll("input, select"))
        {
            Assert.NotEmpty(editor.FindAll($"label[for='{control.Id}']"));
        }
    }
}
