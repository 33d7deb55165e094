using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Yishi.Designer.Canvas;

namespace Yishi.Designer.Tests.Components;

/// <summary>A decision's condition is built from rows; the expression appears only for the expert, and is never rewritten behind their back.</summary>
public sealed class ConditionBuilderTests : BunitContext
{
    public ConditionBuilderTests()
    {
        Services.AddMudServices();
        Services.AddScoped<PageText>();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static readonly JsonArray Variables = JsonNode.Parse("""
        [{ "name": "risk_level", "type": "string" }, { "name": "amount", "type": "number" }, { "name": "both_consent", "type": "boolean" }, { "name": "tags", "type": "array" }]
        """)!.AsArray();

    private static JsonObject Decision(string? condition) => new()
    {
        ["id"] = "check",
        ["type"] = "Decision",
        ["properties"] = new JsonObject { ["condition"] = condition },
    };

    /// <summary>A workflow where a task "review" (with a form) runs before the decision "check".</summary>
    private static WorkflowDocument Workflow() => new(JsonNode.Parse("""
        {
          "definitionId": "flow",
          "variables": [{ "name": "risk_level", "type": "string" }, { "name": "amount", "type": "number" }, { "name": "both_consent", "type": "boolean" }, { "name": "tags", "type": "array" }],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "review", "type": "HumanTask", "displayName": { "zh-CN": "审查", "en": "Review" },
              "properties": { "outcomes": ["accept", "decline"], "form": [{ "name": "score", "type": "number", "label": { "zh-CN": "评分" } }, { "name": "kind", "type": "choice", "options": ["甲", "乙"] }] } },
            { "id": "later", "type": "HumanTask", "properties": { "outcomes": ["done"] } },
            { "id": "check", "type": "Decision", "properties": {} }
          ],
          "connections": [{ "from": "start", "to": "review" }, { "from": "review", "to": "check", "outcome": "accept" }, { "from": "check", "to": "later", "outcome": "true" }]
        }
        """)!.AsObject());

    private IRenderedComponent<PropertyHost> RenderCondition(string? condition, WorkflowDocument? document = null) =>
        Render<PropertyHost>(p => p
            .Add(e => e.Property, EngineCheck.Property("Decision", "condition"))
            .Add(e => e.ActivityId, "check")
            .Add(e => e.Document, document)
            .Add(e => e.Value, condition is null ? null : JsonValue.Create(condition)));

    private static string? Written(IRenderedComponent<PropertyHost> editor) => editor.Instance.Current?.GetValue<string>();

    [Fact]
    public void RowsBuiltFromNothing_WriteAConditionTheEngineAccepts()
    {
        var editor = RenderCondition(null, Workflow());

        editor.Find("#prop-check-condition-add").Click();
        editor.Find("#prop-check-condition-row-0-variable").Change("risk_level");
        editor.Find("#prop-check-condition-row-0-value").Change("high");
        editor.Find("#prop-check-condition-add").Click();
        editor.Find("#prop-check-condition-row-1-join").Change("||");
        editor.Find("#prop-check-condition-row-1-variable").Change("amount");
        editor.Find("#prop-check-condition-row-1-op").Change(">=");
        editor.Find("#prop-check-condition-row-1-value").Change("5000");
        editor.Find("#prop-check-condition-add").Click();
        editor.Find("#prop-check-condition-row-2-variable").Change("both_consent");
        editor.Find("#prop-check-condition-row-2-value").Change("false");

        Assert.Equal("risk_level == \"high\" || (amount >= 5000 && both_consent == false)", Written(editor));
        var definition = EngineCheck.Definition(Decision(Written(editor)), ["true", "false"], Variables);
        Assert.Empty(EngineCheck.ProblemsOn(definition, "check"));
    }

    [Fact]
    public void ContainsAndEmptiness_WriteTheEnginesFunctions_ByTheVariablesType()
    {
        var editor = RenderCondition(null, Workflow());

        editor.Find("#prop-check-condition-add").Click();
        editor.Find("#prop-check-condition-row-0-variable").Change("tags");
        editor.Find("#prop-check-condition-row-0-op").Change("contains");
        editor.Find("#prop-check-condition-row-0-value").Change("urgent");
        editor.Find("#prop-check-condition-add").Click();
        editor.Find("#prop-check-condition-row-1-variable").Change("risk_level");
        editor.Find("#prop-check-condition-row-1-op").Change("!empty");

        Assert.Empty(editor.FindAll("#prop-check-condition-row-1-value"));
        Assert.Equal("(array.contains tags \"urgent\") && !(string.empty risk_level)", Written(editor));
        Assert.Empty(EngineCheck.ProblemsOn(EngineCheck.Definition(Decision(Written(editor)), ["true", "false"], Variables), "check"));
    }

    [Fact]
    public void AnExistingCondition_OpensAsRows()
    {
        var editor = RenderCondition("ballot_result.outcome == 'passed' && round < 3");

        Assert.Equal("ballot_result.outcome", editor.Find("#prop-check-condition-row-0-variable").GetAttribute("value"));
        Assert.Equal("==", editor.Find("#prop-check-condition-row-0-op").GetAttribute("value"));
        Assert.Equal("passed", editor.Find("#prop-check-condition-row-0-value").GetAttribute("value"));
        Assert.Equal("&&", editor.Find("#prop-check-condition-row-1-join").GetAttribute("value"));
        Assert.Equal("<", editor.Find("#prop-check-condition-row-1-op").GetAttribute("value"));
        Assert.Equal("3", editor.Find("#prop-check-condition-row-1-value").GetAttribute("value"));
        Assert.Empty(editor.FindAll("#prop-check-condition-raw"));
        Assert.Empty(editor.Instance.Writes);
    }

    [Fact]
    public void AnExpressionTheRowsCannotSay_OpensForTheExpert_Untouched()
    {
        const string expression = "risk_level == \"high\" && (amount > 1 || both_consent)";
        var editor = RenderCondition(expression);

        Assert.Equal(expression, editor.Find("#prop-check-condition-raw").TextContent);
        Assert.NotNull(editor.Find("[data-test=condition-unreadable]"));

        // Asking for the rows is refused, with a reason, and the text stays as it was.
        editor.Find("#prop-check-condition-expert").Click();
        Assert.Equal(expression, editor.Find("#prop-check-condition-raw").TextContent);
        Assert.Contains("无法拆成条件行", editor.Markup, StringComparison.Ordinal);
        Assert.Empty(editor.Instance.Writes);
    }

    [Fact]
    public void TheExpertToggle_ShowsTheExpression_AndWhatTheExpertTypesIsKeptExactly()
    {
        var editor = RenderCondition("amount > 10");

        editor.Find("#prop-check-condition-expert").Click();
        Assert.Equal("true", editor.Find("#prop-check-condition-expert").GetAttribute("aria-pressed"));
        Assert.Equal("amount > 10", editor.Find("#prop-check-condition-raw").TextContent);

        editor.Find("#prop-check-condition-raw").Change("amount>10 && risk_level=='low'");
        Assert.Equal("amount>10 && risk_level=='low'", Written(editor));

        // Back to the rows: they show what the expert wrote, and the text is only rewritten when a row is edited.
        editor.Find("#prop-check-condition-expert").Click();
        Assert.Equal("low", editor.Find("#prop-check-condition-row-1-value").GetAttribute("value"));
        Assert.Single(editor.Instance.Writes);
        editor.Find("#prop-check-condition-row-1-value").Change("medium");
        Assert.Equal("amount > 10 && risk_level == \"medium\"", Written(editor));
    }

    [Fact]
    public void TheVariableField_OffersDeclaredVariables_AndWhatEarlierTasksLeave()
    {
        var editor = RenderCondition(null, Workflow());

        var offered = editor.FindAll("#prop-check-condition-variables option").Select(o => o.GetAttribute("value")).ToList();

        Assert.Equal(["risk_level", "amount", "both_consent", "tags", "activities.review.outcome", "activities.review.data.score", "activities.review.data.kind"], offered);
        // "later" runs after the decision: nothing of it is offered.
        Assert.Contains("审查 · 办理结果", editor.Find("#prop-check-condition-variables").InnerHtml, StringComparison.Ordinal);

        editor.Find("#prop-check-condition-add").Click();
        editor.Find("#prop-check-condition-row-0-variable").Change("activities.review.outcome");
        Assert.Equal(["accept", "decline"], editor.FindAll("#prop-check-condition-row-0-options option").Select(o => o.GetAttribute("value")));
        editor.Find("#prop-check-condition-row-0-value").Change("accept");
        editor.Find("#prop-check-condition-add").Click();
        editor.Find("#prop-check-condition-row-1-variable").Change("activities.review.data.score");
        editor.Find("#prop-check-condition-row-1-op").Change(">");
        editor.Find("#prop-check-condition-row-1-value").Change("60");

        Assert.Equal("activities.review.outcome == \"accept\" && activities.review.data.score > 60", Written(editor));
    }

    [Fact]
    public void ABooleanVariable_IsComparedWithYesOrNo()
    {
        var editor = RenderCondition(null, Workflow());

        editor.Find("#prop-check-condition-add").Click();
        editor.Find("#prop-check-condition-row-0-variable").Change("both_consent");

        Assert.Equal("SELECT", editor.Find("#prop-check-condition-row-0-value").TagName);
        Assert.Equal("both_consent == true", Written(editor));
    }

    [Fact]
    public void RemovingTheLastRow_RemovesTheCondition()
    {
        var editor = RenderCondition("amount > 1");

        editor.Find("#prop-check-condition-row-0-remove").Click();

        Assert.Null(editor.Instance.Current);
        Assert.Single(editor.Instance.Writes);
    }

    [Fact]
    public void AValueChangedFromOutside_IsReadAgain()
    {
        var editor = RenderCondition("amount > 1");

        editor.Render(p => p.Add(e => e.Value, JsonValue.Create("risk_level != \"low\"")));

        Assert.Equal("risk_level", editor.Find("#prop-check-condition-row-0-variable").GetAttribute("value"));
        Assert.Equal("!=", editor.Find("#prop-check-condition-row-0-op").GetAttribute("value"));
    }

    [Fact]
    public void EveryControl_HasALabel()
    {
        var editor = RenderCondition("amount > 1 || risk_level == \"x\"", Workflow());

        foreach (var control in editor.FindAll("input, select, textarea"))
        {
            Assert.NotEmpty(editor.FindAll($"label[for='{control.Id}']"));
        }

        foreach (var button in editor.FindAll("button"))
        {
            Assert.True(button.HasAttribute("aria-label") || button.TextContent.Trim().Length > 0, button.OuterHtml);
        }
    }
}
