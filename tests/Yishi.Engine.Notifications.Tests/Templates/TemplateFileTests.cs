using Yishi.Engine.Notifications.Templates;

namespace Yishi.Engine.Notifications.Tests.Templates;

public sealed class TemplateFileTests
{
    private const string Accepted = """
        --- meta ---
        urgent: false
        sms-code: SMS_001
        --- title ---
        调解申请已受理
        --- body ---
        {{ mask_name recipient.name }}，您好：您的申请 {{ case_no }} 已受理。
        --- sms ---
        【议事】申请{{ case_no }}已受理。
        """;

    [Fact]
    public void Splits_a_file_into_its_parts_and_reads_the_settings()
    {
        var template = MessageTemplate.Parse(Accepted);

        Assert.Empty(template.Errors);
        Assert.Equal(["body", "sms", "title"], template.Parts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new TemplateMeta(Urgent: false, SmsCode: "SMS_001"), template.Meta);
        Assert.Equal(7, template.Parts["body"].FirstLine);
    }

    [Fact]
    public void A_syntax_error_is_reported_at_its_line_and_column_in_the_file()
    {
        var template = MessageTemplate.Parse("--- title ---\nok\n--- sms ---\nline one\n  x {{ if }} y\n");

        var error = template.Errors[0];
        Assert.Equal((5, 11, "sms"), (error.Line, error.Column, error.Part));
        Assert.False(template.IsValid);
    }

    [Fact]
    public void An_unknown_part_and_text_before_the_first_part_are_errors_with_their_lines()
    {
        var template = MessageTemplate.Parse("hello\n--- title ---\nok\n--- wechat ---\nhi\n");

        Assert.Equal([(1, 1), (4, 5)], template.Errors.Select(e => (e.Line, e.Column)));
        Assert.Contains("'wechat' is not a template part", template.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_workflow_does_not_declare_are_flagged_where_they_are_read()
    {
        using var renderer = new TemplateRenderer();
        var template = renderer.Compile("--- title ---\n{{ case_no }}\n--- body ---\n{{ for p in parties }}{{ p.name }}{{ end }} {{ recipient.name }} {{ date_cn now }} {{ casee_no | string.upcase }}\n");

        var flagged = template.UndeclaredReads(new HashSet<string> { "case_no", "parties" }, renderer.IsFunction);

        var warning = Assert.Single(flagged);
        Assert.Equal((4, 87, TemplateError.Warning), (warning.Line, warning.Column, warning.Severity));
        Assert.Contains("'casee_no'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_settings_and_sample_json_are_errors_with_their_lines()
    {
        var template = MessageTemplate.Parse("--- meta ---\nurgent: maybe\n--- sample ---\n{\"a\": }\n--- title ---\nt\n");

        Assert.Equal([(2, 1, "meta"), (4, 7, "sample")], template.Errors.Select(e => (e.Line, e.Column, e.Part)));
    }

    [Fact]
    public void A_document_template_needs_html()
    {
        var template = MessageTemplate.Parse("--- meta ---\nkind: document\n--- title ---\n协议书\n");

        Assert.Contains(template.Errors, e => e.Part == "html");
    }
}
