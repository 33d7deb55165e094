using Yishi.Engine.Notifications.Documents;

namespace Yishi.Engine.Notifications.Tests.Documents;

public sealed class DocumentPageTests
{
    [Fact]
    public void Wrap_Body_IsInsertedAsGiven()
    {
        const string Body = """<h1>人民调解协议书</h1><p class="date">2026年11月28日</p><p>甲方 &amp; 乙方</p>""";

        var page = DocumentPage.Wrap("人民调解协议书", Body, "zh-CN");

        Assert.Contains(Body, page, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains("""<meta charset="utf-8">""", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrap_Title_IsEncoded()
    {
        var page = DocumentPage.Wrap("甲方<script>&\"乙方\"", "<p>正文</p>", "zh-CN");

        Assert.Contains("<title>甲方&lt;script&gt;&amp;&quot;乙方&quot;</title>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("zh-Hant-TW", "zh-Hant-TW")]
    [InlineData("", "zh-CN")]
    [InlineData("  ", "zh-CN")]
    [InlineData("zh\" onload=\"x", "zh&quot; onload=&quot;x")]
    public void Wrap_Locale_IsTheEncodedLangAttribute(string locale, string lang)
    {
        var page = DocumentPage.Wrap("协议", "<p>正文</p>", locale);

        Assert.Contains($"<html lang=\"{lang}\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrap_Stylesheet_IsA4WithCjkFontsAndForbidsFetches()
    {
        var page = DocumentPage.Wrap("协议", "<p>正文</p>", "zh-CN");

        Assert.Contains("size: A4;", page, StringComparison.Ordinal);
        Assert.Contains("\"Noto Serif CJK SC\"", page, StringComparison.Ordinal);
        Assert.Contains("\"WenQuanYi Micro Hei\"", page, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", page, StringComparison.Ordinal);
        // The policy must come before the body, or it would not apply to what the body loads.
        Assert.True(page.IndexOf("Content-Security-Policy", StringComparison.Ordinal) < page.IndexOf("<body>", StringComparison.Ordinal));
    }
}
