using System.Text.RegularExpressions;
using Yishi.Engine.Notifications.Channels;
using Yishi.Engine.Notifications.Templates;

namespace Yishi.Engine.Notifications.Tests.Golden;

/// <summary>
/// The templates in <c>templates/</c> rendered with their samples, compared with the golden files in
/// <c>Golden/files/&lt;key&gt;/&lt;locale&gt;.&lt;part&gt;.txt</c>. After changing a template, run with
/// <c>YISHI_UPDATE_GOLDEN=1</c>, read the diff of the golden files, and commit both.
/// </summary>
public sealed partial class ShippedTemplateTests
{
    /// <summary>Documents name the parties in full; every other template must mask them.</summary>
    private const string Agreement = "mediation/agreement";

    private static readonly string[] Locales = ["en", "zh-CN"];

    private static readonly string[] MessageParts =
        [TemplateParts.Title, TemplateParts.Body, TemplateParts.Sms, TemplateParts.Subject, TemplateParts.Html, TemplateParts.Text];

    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    };

    public static TheoryData<string, string> Files => Rows(ShippedTemplates.All);

    public static TheoryData<string, string> Messages =>
        Rows(ShippedTemplates.All.Where(t => ShippedTemplates.Compile(t).Meta.Kind == TemplateMeta.Message));

    public static TheoryData<string, string> NotDocuments => Rows(ShippedTemplates.All.Where(t => t.Key != Agreement));

    public static TheoryData<string, string> WithHtml =>
        Rows(ShippedTemplates.All.Where(t => ShippedTemplates.Compile(t).Parts.ContainsKey(TemplateParts.Html)));

    public static TheoryData<string> Keys => [.. ShippedTemplates.All.Select(t => t.Key).Distinct()];

    public static TheoryData<string, string, string> Parts
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var file in ShippedTemplates.All)
            {
                foreach (var part in TemplateParts.Rendered.Where(ShippedTemplates.Compile(file).Parts.ContainsKey))
                {
                    data.Add(file.Key, file.Locale, part);
                }
            }

            return data;
        }
    }

    [Fact]
    public void The_templates_folder_has_templates()
    {
        Assert.NotEmpty(ShippedTemplates.All);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Parses_without_errors_and_reads_only_its_sample_and_the_model(string key, string locale)
    {
        var template = ShippedTemplates.Compile(ShippedTemplates.Get(key, locale));

        Assert.Empty(template.Errors);
        Assert.NotNull(template.Sample);
        var declared = template.Sample.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(template.UndeclaredReads(declared, ShippedTemplates.Renderer.IsFunction));
        // A sample variable nothing reads is a leftover, or a part that forgot to use it.
        var unread = declared.Where(name => !template.Reads.ContainsKey(name)).ToList();
        Assert.Empty(unread);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_template_is_written_in_chinese_and_english(string key)
    {
        var locales = ShippedTemplates.All.Where(t => t.Key == key).Select(t => t.Locale).Order(StringComparer.Ordinal);

        Assert.Equal(Locales, locales);
    }

    [Theory]
    [MemberData(nameof(Parts))]
    public void Renders_its_sample_as_the_golden_file_says(string key, string locale, string part)
    {
        var rendered = ShippedTemplates.Render(ShippedTemplates.Get(key, locale));
        Assert.Null(rendered.Error);
        // Golden files end with a newline, as the editor config asks of every file.
        var actual = rendered[part]!.ReplaceLineEndings("\n") + "\n";
        var path = ShippedTemplates.GoldenPath(key, locale, part);
        var expected = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : null;

        if (ShippedTemplates.Updating && expected != actual)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            Assert.Skip($"{ShippedTemplates.UpdateVariable}=1: wrote {ShippedTemplates.Relative(path)}. Read it, then run again without the variable.");
        }

        Assert.True(expected is not null,
            $"{ShippedTemplates.Relative(path)} is missing. Run the tests with {ShippedTemplates.UpdateVariable}=1 to write it, and read it before committing.");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_golden_file_belongs_to_a_part_of_a_shipped_template()
    {
        var wanted = ShippedTemplates.All
            .SelectMany(t => ShippedTemplates.Compile(t).Parts.Keys.Select(part => ShippedTemplates.GoldenPath(t.Key, t.Locale, part)))
            .ToHashSet(StringComparer.Ordinal);
        var orphans = Directory.Exists(ShippedTemplates.GoldenFolder)
            ? Directory.EnumerateFiles(ShippedTemplates.GoldenFolder, "*.txt", SearchOption.AllDirectories).Where(path => !wanted.Contains(path)).ToList()
            : [];

        if (ShippedTemplates.Updating && orphans.Count > 0)
        {
            orphans.ForEach(File.Delete);
            Assert.Skip($"{ShippedTemplates.UpdateVariable}=1: deleted {string.Join(", ", orphans.Select(ShippedTemplates.Relative))}.");
        }

        Assert.Empty(orphans.Select(ShippedTemplates.Relative));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_message_has_every_channel_and_a_document_its_title_and_html(string key, string locale)
    {
        var template = ShippedTemplates.Compile(ShippedTemplates.Get(key, locale));
        string[] expected = template.Meta.Kind == TemplateMeta.Document ? [TemplateParts.Title, TemplateParts.Html] : MessageParts;

        var missing = expected.Where(part => !template.Parts.ContainsKey(part)).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void The_sms_fits_one_segment(string key, string locale)
    {
        var sms = ShippedTemplates.Render(ShippedTemplates.Get(key, locale))[TemplateParts.Sms];

        Assert.NotNull(sms);
        var (length, segments, unicode) = SmsText.Segments(sms);
        Assert.True(segments == 1, $"The sms has {length} {(unicode ? "UCS-2 code units" : "GSM characters")}: '{sms}'.");
        // English that slips into UCS-2 (a curly quote, a dash) costs 70 characters a segment instead of 160.
        Assert.True(locale != "en" || !unicode, $"The English sms has characters outside the GSM alphabet: '{sms}'.");
    }

    [Theory]
    [MemberData(nameof(NotDocuments))]
    public void Shows_no_phone_number_id_number_or_full_name_of_the_recipient(string key, string locale)
    {
        var rendered = ShippedTemplates.Render(ShippedTemplates.Get(key, locale));
        var name = ShippedTemplates.RecipientName(locale);

        Assert.Null(rendered.Error);
        foreach (var (part, text) in rendered.Parts)
        {
            Assert.False(PhoneNumber().IsMatch(text), $"{part} shows a phone number: {PhoneNumber().Match(text).Value}");
            Assert.False(IdNumber().IsMatch(text), $"{part} shows an ID number: {IdNumber().Match(text).Value}");
            Assert.False(text.Contains(name, StringComparison.Ordinal), $"{part} shows the recipient's full name.");
        }
    }

    [Theory]
    [MemberData(nameof(WithHtml))]
    public void Every_html_tag_that_opens_closes(string key, string locale)
    {
        var html = ShippedTemplates.Render(ShippedTemplates.Get(key, locale))[TemplateParts.Html]!;
        var open = new Stack<(string Name, int Line)>();

        foreach (Match tag in Tag().Matches(Comment().Replace(html, "")))
        {
            var name = tag.Groups["name"].Value.ToLowerInvariant();
            var line = html[..tag.Index].Count(c => c == '\n') + 1;
            if (VoidElements.Contains(name) || tag.Groups["self"].Success)
            {
                continue;
            }

            if (!tag.Groups["close"].Success)
            {
                open.Push((name, line));
                continue;
            }

            Assert.True(open.Count > 0, $"Line {line}: </{name}> closes nothing.");
            var (opened, openedAt) = open.Pop();
            Assert.True(opened == name, $"Line {line}: </{name}> closes <{opened}> opened on line {openedAt}.");
        }

        Assert.True(open.Count == 0, $"Not closed: {string.Join(", ", open.Select(t => $"<{t.Name}> (line {t.Line})"))}.");
    }

    private static TheoryData<string, string> Rows(IEnumerable<ShippedTemplate> files)
    {
        var data = new TheoryData<string, string>();
        foreach (var file in files)
        {
            data.Add(file.Key, file.Locale);
        }

        return data;
    }

    // Any run of exactly 11 digits: a mobile number, or a landline with its area code.
    [GeneratedRegex(@"(?<!\d)\d{11}(?!\d)")]
    private static partial Regex PhoneNumber();

    // A resident ID number: 17 digits and a check character (a digit or X).
    [GeneratedRegex(@"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdNumber();

    [GeneratedRegex(@"<(?<close>/)?(?<name>[A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*?)?(?<self>/)?>")]
    private static partial Regex Tag();

    [GeneratedRegex("<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comment();
}
