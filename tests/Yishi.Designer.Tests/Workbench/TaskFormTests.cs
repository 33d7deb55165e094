using System.Text.Encodings.Web;
using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Yishi.Designer.Api;
using Yishi.Designer.Workbench;

namespace Yishi.Designer.Tests.Workbench;

/// <summary>A task's generated form checks what was typed before anything is sent, and shows the server's own field errors.</summary>
public sealed class TaskFormTests : BunitContext
{
    private static readonly CaseTask Mediate = new("t-1", "mediate", "组织调解", null, "mediator", null, null, DateTimeOffset.UnixEpoch, null, ["agreed", "failed"],
    [
        new TaskFormField("note", "text", "调解记录", Required: true, [], MaxLength: 10, null, null),
        new TaskFormField("amount", "number", "金额", Required: false, [], null, Min: 0, Max: 1000),
        new TaskFormField("kind", "choice", "类型", Required: true, ["邻里", "物业"], null, null, null),
        new TaskFormField("both_consent", "boolean", "双方同意", Required: false, [], null, null, null),
        new TaskFormField("held_on", "date", "调解日期", Required: false, [], null, null, null),
    ], MayComplete: true, MayClaim: false, MayAssign: false);

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<TaskSubmission> _sent = [];

    public TaskFormTests()
    {
        Services.AddMudServices();
        Services.AddScoped<PageText>();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private IRenderedComponent<TaskForm> RenderForm(IReadOnlyDictionary<string, string>? serverErrors = null) =>
        Render<TaskForm>(p => p
            .Add(f => f.Task, Mediate)
            .Add(f => f.ServerErrors, serverErrors)
            .Add(f => f.OnSubmit, (TaskSubmission s) => _sent.Add(s)));

    private static string ErrorOf(IRenderedComponent<TaskForm> form, string field) =>
        form.Find($"[data-test=field-error][data-field={field}]").TextContent.Trim();

    [Fact]
    public void ARequiredFieldLeftEmpty_IsNamed_AndNothingIsSent()
    {
        var form = RenderForm();
        form.Find("#f-t-1-kind").Change("邻里");

        form.Find("[data-outcome=agreed]").Click();

        Assert.Empty(_sent);
        Assert.Equal("请填写“调解记录”。", ErrorOf(form, "note"));
        Assert.Equal("", ErrorOf(form, "kind"));
        Assert.Equal("true", form.Find("#f-t-1-note").GetAttribute("aria-invalid"));
        Assert.NotNull(form.Find("[data-test=form-invalid]"));
    }

    [Fact]
    public void TooLongTextAndANumberOutOfRange_AreRefused_UntilCorrected_ThenTheValuesAreSentTyped()
    {
        var form = RenderForm();
        form.Find("#f-t-1-note").Input("这段调解记录超过了十个字的上限");
        form.Find("#f-t-1-amount").Input("5000");
        form.Find("#f-t-1-kind").Change("物业");
        form.Find("#f-t-1-held_on").Change("2026-03-02");

        form.Find("[data-outcome=failed]").Click();
        var tooLong = ErrorOf(form, "note");
        var tooMuch = ErrorOf(form, "amount");
        form.Find("#f-t-1-note").Input("未达成一致");
        form.Find("#f-t-1-amount").Input("800");
        form.Find("#f-t-1-both_consent").Change(true);
        form.Find("[data-outcome=failed]").Click();

        Assert.StartsWith("最多 10 个字", tooLong, StringComparison.Ordinal);
        Assert.Equal("不能大于 1000。", tooMuch);
        var sent = Assert.Single(_sent);
        Assert.Equal("failed", sent.Outcome);
        Assert.Equal("""{"note":"未达成一致","amount":800,"kind":"物业","both_consent":true,"held_on":"2026-03-02"}""", sent.Data.ToJsonString(Readable));
    }

    [Fact]
    public void TheServersFieldErrors_ShowBesideTheirFields_AndWhatWasTypedStays()
    {
        var form = RenderForm();
        form.Find("#f-t-1-note").Input("已调解");

        form.Render(p => p.Add(f => f.ServerErrors, new Dictionary<string, string> { ["kind"] = "'类型' is required." }));

        Assert.Equal("'类型' is required.", ErrorOf(form, "kind"));
        Assert.Equal("已调解", form.Find("#f-t-1-note").GetAttribute("value"));
    }
}
