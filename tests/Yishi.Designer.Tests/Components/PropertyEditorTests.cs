using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Yishi.Designer.Api;
using Yishi.Designer.Components;
using Yishi.Engine.Definitions;

namespace Yishi.Designer.Tests.Components;

/// <summary>The properties panel is generated from activity metadata: each kind gets its editor and writes the JSON the engine reads.</summary>
public sealed class PropertyEditorTests : BunitContext
{
    public PropertyEditorTests()
    {
        Services.AddMudServices();
        Services.AddScoped<PageText>();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private IRenderedComponent<PropertyEditor> Render(PropertyType property, JsonNode? value, Action<JsonNode?> changed) =>
        Render<PropertyEditor>(p => p
            .Add(e => e.Property, property)
            .Add(e => e.ActivityId, "review")
            .Add(e => e.Value, value)
            .Add(e => e.ValueChanged, changed));

    private static PropertyType Kind(string kind, bool required = false, IReadOnlyList<string>? choices = null) =>
        new("p", kind, LocalizedText.Of("属性", "Property"), required, LocalizedText.Of("说明文字", "Help"), null, choices, null);

    [Fact]
    public void LocalizedText_HasAChineseAndAnEnglishField_AndWritesBothIntoOneObject()
    {
        JsonNode? written = null;
        var editor = Render(Kind("LocalizedText"), JsonValue.Create("审查"), v => written = v);

        editor.Find("#prop-review-p-en").Change("Review");

        Assert.Equal("""{"zh-CN":"审查","en":"Review"}""", written!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Contains("说明文字", editor.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Duration_InWorkingDays_IsAnAmountAndAUnit()
    {
        JsonNode? written = null;
        var editor = Render(Kind("Duration"), new JsonObject { ["workingDays"] = 3 }, v => written = v);

        Assert.Equal("workingDays", editor.Find("#prop-review-p-unit").GetAttribute("value"));
        editor.Find("#prop-review-p-unit").Change("days");

        Assert.Equal("""{"days":3}""", written!.ToJsonString());
    }

    [Fact]
    public void Assignee_ByRole_IsChosenFromTheRoles()
    {
        JsonNode? written = null;
        var editor = Render(Kind("Assignee", required: true), null, v => written = v);

        editor.Find("#prop-review-p").Change("supervisor");

        Assert.Equal("""{"role":"supervisor"}""", written!.ToJsonString());
        Assert.Contains("属性 *", editor.Find("label[for=prop-review-p-kind]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Choice_OffersItsChoices_AndStringList_IsOnePerLine()
    {
        JsonNode? written = null;
        var choice = Render(Kind("Choice", choices: ["low", "high"]), null, v => written = v);
        Assert.Equal(["", "low", "high"], choice.FindAll("option").Select(o => o.GetAttribute("value")));
        choice.Find("select").Change("high");
        Assert.Equal("high", written!.GetValue<string>());

        var list = Render(Kind("StringList"), null, v => written = v);
        list.Find("textarea").Change("accept\n decline \n");
        Assert.Equal("""["accept","decline"]""", written!.ToJsonString());
    }

    [Fact]
    public void Json_ThatDoesNotParse_KeepsTheOldValue_AndSaysWhereTheErrorIs()
    {
        var calls = 0;
        var editor = Render(Kind("Json"), new JsonArray(), _ => calls++);

        editor.Find("textarea").Change("[\n  { \"name\": }\n]");

        Assert.Equal(0, calls);
        Assert.Contains("第 2 行", editor.Markup, StringComparison.Ordinal);
    }
}
