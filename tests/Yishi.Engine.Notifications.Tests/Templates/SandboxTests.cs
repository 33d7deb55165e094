using System.Text.Json.Nodes;
using Yishi.Engine.Notifications.Templates;

namespace Yishi.Engine.Notifications.Tests.Templates;

/// <summary>Templates are written by community staff: these are the escapes and runaways the sandbox must stop.</summary>
public sealed class SandboxTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("yishi-templates-").FullName;
    private readonly TemplateRenderer _renderer;

    public SandboxTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "includes"));
        File.WriteAllText(Path.Combine(_folder, "includes", "signature.scriban"), "—— {{ org.name }}");
        File.WriteAllText(Path.Combine(_folder, "secret.txt"), "outside includes");
        _renderer = new TemplateRenderer(new TemplateSandbox { TimeLimit = TimeSpan.FromMilliseconds(300) }, new TemplateIncludes(_folder));
    }

    public void Dispose()
    {
        _renderer.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private RenderedTemplate Render(string body) =>
        _renderer.Render(_renderer.Compile("--- title ---\nt\n--- body ---\n" + body),
            _renderer.Scope(new TemplateData([], DateTimeOffset.UnixEpoch) { Org = new JsonObject { ["name"] = "幸福社区" } }),
            new TemplateRecipient("a", "zh-CN"), ["body"]);

    [Fact]
    public void Includes_come_from_the_includes_folder()
    {
        var result = Render("{{ include 'signature' }}");

        Assert.Null(result.Error);
        Assert.Equal("—— 幸福社区", result["body"]);
    }

    [Fact]
    public void An_include_prints_its_markup_in_an_html_part_with_its_own_values_escaped()
    {
        File.WriteAllText(Path.Combine(_folder, "includes", "footer.scriban"), "<p>{{ org.name }}</p>");
        var data = new TemplateData([], DateTimeOffset.UnixEpoch) { Org = new JsonObject { ["name"] = "<i>社区</i>" } };

        var result = _renderer.Render(_renderer.Compile("--- title ---\nt\n--- html ---\n{{ include 'footer' }}"), _renderer.Scope(data), new TemplateRecipient("a", "zh-CN"), ["html"]);

        Assert.Equal("<p>&lt;i&gt;社区&lt;/i&gt;</p>", result["html"]);
    }

    [Theory]
    [InlineData("{{ include '../secret' }}")]
    [InlineData("{{ include '/etc/passwd' }}")]
    [InlineData("{{ include '..\\\\secret' }}")]
    [InlineData("{{ include 'C:/Windows/win' }}")]
    [InlineData("{{ include 'missing' }}")]
    public void Includes_outside_the_includes_folder_are_refused(string body)
    {
        var result = Render(body);

        Assert.NotNull(result.Error);
        Assert.DoesNotContain("outside includes", result["body"] ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ while true }}x{{ end }}", "loop")]
    [InlineData("{{ for i in 1..100000 }}{{ end }}", "loop")]
    [InlineData("{{ func f; ret f; end; f }}", "recursive")]
    public void Runaway_loops_and_recursion_stop_with_an_error(string body, string expected)
    {
        var result = Render(body);

        Assert.NotNull(result.Error);
        Assert.Contains(expected, result.Error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_slow_template_is_stopped_by_the_time_limit()
    {
        // Within every count limit (depth 25, no loop), but 2^25 calls.
        var result = Render("{{ func f(n); if n > 0; f(n - 1); f(n - 1); end; end; f 25 }}");

        Assert.NotNull(result.Error);
        Assert.Contains("longer than 300 ms", result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ object.eval '1+1' }}")]
    [InlineData("{{ date.now }}")]
    [InlineData("{{ math.random 1 10 }}")]
    public void Eval_the_wall_clock_and_randomness_are_not_there(string body)
    {
        var result = Render(body);

        Assert.True(result.Error is not null || result["body"] == "", $"rendered '{result["body"]}'");
    }

    [Fact]
    public void Huge_output_is_refused()
    {
        var result = Render("{{ for i in 1..999 }}{{ '0123456789' | string.repeat 999 }}{{ end }}");

        Assert.NotNull(result.Error);
    }
}
