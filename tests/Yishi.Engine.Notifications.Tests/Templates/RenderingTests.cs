using System.Text.Json.Nodes;
using Yishi.Engine.Notifications.Templates;
using Yishi.Engine.Time;

namespace Yishi.Engine.Notifications.Tests.Templates;

public sealed class RenderingTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 9, 29, 2, 0, 0, TimeSpan.Zero); // Tuesday 10:00 in China
    private readonly TemplateRenderer _renderer = new();

    public void Dispose() => _renderer.Dispose();

    private RenderedTemplate Render(string text, JsonObject variables, string part = "body", string name = "张丽华") =>
        _renderer.Render(_renderer.Compile(text), _renderer.Scope(new TemplateData(variables, Now) { Calendar = WorkingCalendar.China }),
            new TemplateRecipient(name, "zh-CN"), [part]);

    [Fact]
    public void Renders_variables_the_recipient_and_masked_personal_data()
    {
        var result = Render("--- title ---\nt\n--- body ---\n{{ mask_name recipient.name }}：{{ mask_phone phone }} {{ mask_id id_no }} {{ case_no }}",
            new JsonObject { ["case_no"] = "2026-017", ["phone"] = "13800001234", ["id_no"] = "110101199003071234" });

        Assert.Null(result.Error);
        Assert.Equal("张**：138****1234 1****************4 2026-017", result["body"]);
    }

    [Fact]
    public void Dates_read_in_chinese_in_the_china_zone_and_working_days_skip_the_national_holiday()
    {
        // From Tuesday 29 September 2026 to Friday 9 October: 30 September, 8 and 9 October count; 1–7 October
        // are the National Day holiday (Saturday 10 October, an adjusted working day, comes after the deadline).
        var result = Render("--- title ---\nt\n--- body ---\n{{ date_cn due }} {{ weekday_cn due }} {{ datetime_cn now }} {{ working_days_left due }}",
            new JsonObject { ["due"] = "2026-10-09T09:00:00+08:00" });

        Assert.Equal("2026年10月9日 星期五 2026年9月29日 10:00 3", result["body"]);
    }

    [Fact]
    public void The_html_part_escapes_what_it_prints_and_the_text_part_prints_it_as_it_is()
    {
        const string text = "--- title ---\nt\n--- html ---\n<p>{{ note }} {{ recipient.name }} {{ mask_name recipient.name }}</p>\n--- text ---\n{{ note }}";
        var template = _renderer.Compile(text);
        var result = _renderer.Render(template, _renderer.Scope(new TemplateData(new JsonObject { ["note"] = "<script>x</script>&" }, Now)),
            new TemplateRecipient("<b>é</b>", "zh-CN"), ["html", "text"]);

        // The masking sees the real name (8 characters), not its entities.
        Assert.Equal("<p>&lt;script&gt;x&lt;/script&gt;&amp; &lt;b&gt;&#233;&lt;/b&gt; &lt;*******</p>", result["html"]);
        Assert.Equal("<script>x</script>&", result["text"]);
    }

    [Fact]
    public void One_rendering_cannot_change_what_the_next_one_reads()
    {
        const string text = "--- title ---\n{{ x = (x ?? 0) + 1; x }}\n--- body ---\n{{ org.name = 'hacked' }}{{ org.name }}";
        var template = _renderer.Compile(text);
        var scope = _renderer.Scope(new TemplateData([], Now) { Org = new JsonObject { ["name"] = "幸福社区" } });

        var first = _renderer.Render(template, scope, new TemplateRecipient("a", "zh-CN"), ["title"]);
        var second = _renderer.Render(template, scope, new TemplateRecipient("b", "zh-CN"), ["title", "body"]);

        Assert.Equal("1", first["title"]);
        Assert.Equal("1", second["title"]);
        Assert.NotNull(second.Error);
        Assert.Equal("幸福社区", _renderer.Render(_renderer.Compile("--- title ---\n{{ org.name }}"), scope, new TemplateRecipient("c", "zh-CN"), ["title"])["title"]);
    }

    [Fact]
    public void A_runtime_error_names_the_part_line_and_column()
    {
        var result = Render("--- title ---\nt\n--- body ---\nline\n {{ string.upcase 1 2 3 }}", []);

        Assert.Equal((5, 5, "body"), (result.Error!.Line, result.Error.Column, result.Error.Part));
    }
}
