using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Yishi.Designer.Api;
using Yishi.Designer.Components.Editors;
using Yishi.Engine.Activities;

namespace Yishi.Designer.Tests.Components;

/// <summary>A human task's form is built field by field, and what the builder writes is the list the engine reads.</summary>
public sealed class FormBuilderTests : BunitContext
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public FormBuilderTests()
    {
        Services.AddMudServices();
        Services.AddScoped<PageText>();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private IRenderedComponent<PropertyHost> RenderForm(JsonNode? value, IReadOnlyList<Problem>? problems = null) =>
        Render<PropertyHost>(p => p
            .Add(e => e.Property, EngineCheck.Property("HumanTask", "form"))
            .Add(e => e.Value, value)
            .Add(e => e.Problems, problems ?? []));

    private static JsonObject Task(JsonNode? form) => new()
    {
        ["id"] = "review",
        ["type"] = "HumanTask",
        ["properties"] = new JsonObject
        {
            ["title"] = new JsonObject { ["zh-CN"] = "审查", ["en"] = "Review" },
            ["assignee"] = new JsonObject { ["role"] = "mediator" },
            ["outcomes"] = new JsonArray("done"),
            ["form"] = form?.DeepClone(),
        },
    };

    [Fact]
    public void AFormBuiltFromNothing_IsTheListTheEngineReads()
    {
        var editor = RenderForm(null);

        editor.Find("#prop-review-form-add").Click();
        editor.Find("#prop-review-form-field-0-name").Change("amount");
        editor.Find("#prop-review-form-field-0-label-zh").Change("争议金额");
        editor.Find("#prop-review-form-field-0-label-en").Change("Amount in dispute");
        editor.Find("#prop-review-form-field-0-type").Change("number");
        editor.Find("#prop-review-form-field-0-min").Change("0");
        editor.Find("#prop-review-form-field-0-max").Change("1000000");
        editor.Find("#prop-review-form-field-0-required").Change(true);
        editor.Find("#prop-review-form-add").Click();
        editor.Find("#prop-review-form-field-1-name").Change("kind");
        editor.Find("#prop-review-form-field-1-label-zh").Change("纠纷类型");
        editor.Find("#prop-review-form-field-1-type").Change("choice");
        editor.Find("#prop-review-form-field-1-options").Change("邻里\n婚姻家庭\n 邻里 \n\n物业");
        editor.Find("#prop-review-form-add").Click();
        editor.Find("#prop-review-form-field-2-name").Change("note");
        editor.Find("#prop-review-form-field-2-maxLength").Change("200");

        Assert.Equal(
            """[{"name":"amount","type":"number","label":{"zh-CN":"争议金额","en":"Amount in dispute"},"min":0,"max":1000000,"required":true},"""
            + """{"name":"kind","type":"choice","label":{"zh-CN":"纠纷类型"},"options":["邻里","婚姻家庭","物业"]},{"name":"note","type":"text","maxLength":200}]""",
            editor.Instance.Current!.ToJsonString(Readable));
        var definition = EngineCheck.Definition(Task(editor.Instance.Current), ["done"]);
        Assert.Empty(EngineCheck.ProblemsOn(definition, "review"));
        var fields = FormField.ReadList(JsonSerializer.SerializeToElement(editor.Instance.Current), (_, message) => Assert.Fail(message));
        Assert.Equal([FormFieldType.Number, FormFieldType.Choice, FormFieldType.Text], fields.Select(f => f.Type));
        Assert.True(fields[0].Required);
        Assert.Equal((0d, 1_000_000d), (fields[0].Min!.Value, fields[0].Max!.Value));
        Assert.Equal("Amount in dispute", fields[0].Label.Get("en"));
        Assert.Equal(["邻里", "婚姻家庭", "物业"], fields[1].Options);
        Assert.Equal(200, fields[2].MaxLength);
        // The engine checks a submitted form by the same rules.
        Assert.Contains(FormField.Check(fields, new JsonObject { ["amount"] = -1, ["kind"] = "邻里" }), p => p.Property == "amount");
    }

    [Fact]
    public void AnExistingForm_OpensInTheBuilder_AndAnEditKeepsWhatTheBuilderDoesNotShow()
    {
        var form = JsonNode.Parse("""[{"name":"reason","label":"理由","maxLength":50,"hint":"kept"},{"name":"agreed","type":"boolean","required":true,"variable":"agreed"}]""");
        var editor = RenderForm(form);

        Assert.Equal("reason", editor.Find("#prop-review-form-field-0-name").GetAttribute("value"));
        Assert.Equal("text", editor.Find("#prop-review-form-field-0-type").GetAttribute("value"));
        Assert.Equal("理由", editor.Find("#prop-review-form-field-0-label-zh").GetAttribute("value"));
        Assert.Equal("50", editor.Find("#prop-review-form-field-0-maxLength").GetAttribute("value"));
        Assert.Equal("boolean", editor.Find("#prop-review-form-field-1-type").GetAttribute("value"));
        Assert.True(editor.Find("#prop-review-form-field-1-required").HasAttribute("checked"));
        Assert.Equal("agreed", editor.Find("#prop-review-form-field-1-variable").GetAttribute("value"));

        editor.Find("#prop-review-form-field-0-label-en").Change("Reason");

        Assert.Equal("""[{"name":"reason","label":{"zh-CN":"理由","en":"Reason"},"maxLength":50,"hint":"kept"},{"name":"agreed","type":"boolean","required":true,"variable":"agreed"}]""",
            editor.Instance.Current!.ToJsonString(Readable));
    }

    [Fact]
    public void FieldsAreReorderedAndRemovedByButtons_WhoseNamesSayWhichField()
    {
        var editor = RenderForm(JsonNode.Parse("""[{"name":"a","type":"text"},{"name":"b","type":"date"},{"name":"c","type":"attachment"}]"""));

        Assert.True(editor.Find("#prop-review-form-field-0-up").HasAttribute("disabled"));
        Assert.True(editor.Find("#prop-review-form-field-2-down").HasAttribute("disabled"));
        Assert.Equal("下移字段 a", editor.Find("#prop-review-form-field-0-down").GetAttribute("aria-label"));

        editor.Find("#prop-review-form-field-0-down").Click();
        Assert.Equal(["b", "a", "c"], Names(editor.Instance.Current));
        editor.Find("#prop-review-form-field-2-up").Click();
        Assert.Equal(["b", "c", "a"], Names(editor.Instance.Current));
        editor.Find("#prop-review-form-field-0-remove").Click();
        Assert.Equal(["c", "a"], Names(editor.Instance.Current));
        editor.Find("#prop-review-form-field-0-remove").Click();
        editor.Find("#prop-review-form-field-0-remove").Click();

        // No fields is no form: the property is removed rather than left as [].
        Assert.Null(editor.Instance.Current);
        Assert.Equal(5, editor.Instance.Writes.Count);
    }

    [Fact]
    public void ChangingTheType_DropsTheOldTypesRules()
    {
        var editor = RenderForm(JsonNode.Parse("""[{"name":"note","type":"text","maxLength":20,"required":true}]"""));

        editor.Find("#prop-review-form-field-0-type").Change("number");

        Assert.Equal("""[{"name":"note","type":"number","required":true}]""", editor.Instance.Current!.ToJsonString());
        Assert.Empty(editor.FindAll("#prop-review-form-field-0-maxLength"));
        Assert.NotNull(editor.Find("#prop-review-form-field-0-min"));
    }

    [Fact]
    public void TheEnginesProblemsWithAField_AreShownBesideThatField()
    {
        // What the engine says about a choice without options and a repeated name, with the pointers it gives.
        var form = JsonNode.Parse("""[{"name":"kind","type":"choice"},{"name":"kind","type":"text"}]""");
        var problems = EngineCheck.Problems(EngineCheck.Definition(Task(form), ["done"]))
            .Where(p => p.ActivityId == "review")
            .Select(p => new Problem(p.IsError ? "error" : "warning", p.Code, p.Message, p.ActivityId, p.Property, p.Path))
            .ToList();
        Assert.Equal(2, problems.Count);

        var editor = RenderForm(form, problems);

        var first = editor.FindAll("section.yd-form-field")[0];
        var second = editor.FindAll("section.yd-form-field")[1];
        Assert.Contains("needs 'options'", first.QuerySelector("[data-test=field-problem]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("two fields named 'kind'", second.QuerySelector("[data-test=field-problem]")!.TextContent, StringComparison.Ordinal);
        // Shown once, beside the field, not again under the whole form.
        Assert.Equal(2, editor.FindAll("[role=alert]").Count);
    }

    [Fact]
    public void ANameExpressionsCannotRead_IsFlaggedBesideTheField()
    {
        var editor = RenderForm(JsonNode.Parse("""[{"name":"ok_name"},{"name":"2 words"}]"""));

        var warnings = editor.FindAll("[data-test=field-warning]");
        Assert.Single(warnings);
        Assert.Contains("字段名只能用英文字母", warnings[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePreview_ShowsTheFormAsTheAssigneeWillSeeIt()
    {
        var editor = RenderForm(JsonNode.Parse("""[{"name":"amount","type":"number","label":{"zh-CN":"金额","en":"Amount"},"required":true,"min":0,"max":100},{"name":"kind","type":"choice","options":["甲","乙"]}]"""));

        var preview = editor.Find("[data-test=form-preview]").TextContent;
        Assert.Contains("金额 *", preview, StringComparison.Ordinal);
        Assert.Contains("数字，0–100", preview, StringComparison.Ordinal);
        Assert.Contains("选择：甲 / 乙", preview, StringComparison.Ordinal);
        Assert.Empty(editor.Find("[data-test=form-preview]").QuerySelectorAll("input, select, textarea, button"));
    }

    [Fact]
    public void AFormThatIsNotAListOfFields_StaysJson_RatherThanBeingRewritten()
    {
        var editor = RenderForm(JsonNode.Parse("""{"name":"odd"}"""));

        Assert.Empty(editor.FindAll("#prop-review-form-add"));
        Assert.Contains("\"odd\"", editor.Find("textarea#prop-review-form").TextContent, StringComparison.Ordinal);
        Assert.Empty(editor.Instance.Writes);
    }

    [Fact]
    public void EveryControl_HasALabel()
    {
        var editor = RenderForm(JsonNode.Parse("""[{"name":"kind","type":"choice","options":["a"]},{"name":"n","type":"number"},{"name":"t"}]"""));

        foreach (var control in editor.FindAll("input, select, textarea"))
        {
            Assert.NotEmpty(editor.FindAll($"label[for='{control.Id}']"));
        }

        foreach (var button in editor.FindAll("button"))
        {
            Assert.True(button.HasAttribute("aria-label") || button.TextContent.Trim().Length > 0, button.OuterHtml);
        }
    }

    [Fact]
    public void APointerIntoTheForm_NamesTheFieldIndex()
    {
        Assert.Equal(3, FormFieldJson.FieldIndex("/activities/1/properties/form/3/options", "form"));
        Assert.Equal(0, FormFieldJson.FieldIndex("/activities/1/properties/form/0", "form"));
        Assert.Null(FormFieldJson.FieldIndex("/activities/1/properties/form", "form"));
        Assert.Null(FormFieldJson.FieldIndex("/activities/1/properties/questions/0", "form"));
    }

    private static string[] Names(JsonNode? form) => [.. form!.AsArray().Select(f => f!["name"]!.GetValue<string>())];
}
