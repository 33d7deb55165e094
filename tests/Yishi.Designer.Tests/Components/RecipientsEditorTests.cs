using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Yishi.Designer.Api;
using Yishi.Designer.Canvas;

namespace Yishi.Designer.Tests.Components;

/// <summary>A notification's recipients as rows of kind and value, written as the list the engine reads.</summary>
public sealed class RecipientsEditorTests : BunitContext
{
    private sealed class NoServer : IDesignerBackend
    {
        public Task<HttpClient> ClientAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("The recipients editor needs no server.");
    }

    public RecipientsEditorTests()
    {
        Services.AddMudServices();
        Services.AddScoped<PageText>();
        Services.AddSingleton<IDesignerBackend>(new NoServer());
        Services.AddScoped<DesignerApi>();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static WorkflowDocument Workflow() => new(JsonNode.Parse("""
        { "definitionId": "vote", "name": "Vote", "variables": [ { "name": "contact", "type": "object" } ],
          "activities": [ { "id": "start", "type": "Start" }, { "id": "vote", "type": "Ballot" }, { "id": "tell", "type": "Notify" } ],
          "connections": [] }
        """)!.AsObject());

    private IRenderedComponent<PropertyHost> RenderTo(JsonNode? value) =>
        Render<PropertyHost>(p => p
            .Add(e => e.Property, EngineCheck.Property("Notify", "to"))
            .Add(e => e.ActivityId, "tell")
            .Add(e => e.Document, Workflow())
            .Add(e => e.Value, value));

    [Fact]
    public void RowsAddedAndChosen_WriteTheEnginesList_WhichItAccepts()
    {
        var editor = RenderTo(null);

        editor.Find("#prop-tell-to-add").Click();
        editor.Find("#prop-tell-to-0-value").Change("mediator");
        editor.Find("#prop-tell-to-add").Click();
        editor.Find("#prop-tell-to-1-kind").Change("parties");
        editor.Find("#prop-tell-to-1-value").Change("applicant");
        editor.Find("#prop-tell-to-add").Click();
        editor.Find("#prop-tell-to-2-kind").Change("notVoted");
        editor.Find("#prop-tell-to-2-value").Change("vote");

        Assert.Equal("""[{"role":"mediator"},{"parties":"applicant"},{"notVoted":"vote"}]""", editor.Instance.Current!.ToJsonString());
        // The engine's check of the list (the ballot it names is not in the check's small workflow, so that row goes first).
        editor.Find("[aria-label='删除第 3 个收件人']").Click();
        Assert.Equal("""[{"role":"mediator"},{"parties":"applicant"}]""", editor.Instance.Current!.ToJsonString());
        var notify = new JsonObject
        {
            ["id"] = "tell",
            ["type"] = "Notify",
            ["properties"] = new JsonObject { ["template"] = "case/rate", ["to"] = editor.Instance.Current!.DeepClone() },
        };
        Assert.Empty(EngineCheck.ProblemsOn(EngineCheck.Definition(notify, ["done"]), "tell"));
    }

    [Fact]
    public void ExistingRecipients_AreShownAsRows_AndTheResidentsNeedNoValue()
    {
        var editor = RenderTo(JsonNode.Parse("""[{"parties":"*"},{"variable":"contact"}]"""));

        Assert.Equal("parties", editor.Find("#prop-tell-to-0-kind").GetAttribute("value"));
        Assert.Equal("*", editor.Find("#prop-tell-to-0-value").GetAttribute("value"));
        Assert.Equal("contact", editor.Find("#prop-tell-to-1-value").GetAttribute("value"));

        editor.Find("#prop-tell-to-1-kind").Change("residents");

        Assert.Equal("""[{"parties":"*"},{"residents":"*"}]""", editor.Instance.Current!.ToJsonString());
        Assert.Empty(editor.FindAll("#prop-tell-to-1-value"));
    }

    [Fact]
    public void RemovingTheLastRow_LeavesNoValue_AndAListItCannotShow_StaysJson()
    {
        var editor = RenderTo(JsonNode.Parse("""[{"role":"officer"}]"""));
        editor.Find("[aria-label='删除第 1 个收件人']").Click();
        var odd = RenderTo(JsonNode.Parse("""[{"role":"officer","user":"u1"}]"""));

        Assert.Null(editor.Instance.Current);
        Assert.Empty(odd.FindAll("[data-test=recipients]"));
        Assert.Contains("officer", odd.Find("textarea").TextContent, StringComparison.Ordinal);
    }
}
