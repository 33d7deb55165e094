using System.Net;
using System.Net.Sockets;
using UglyToad.PdfPig;
using Yishi.Engine.Notifications.Documents;

namespace Yishi.Engine.Notifications.Tests.Documents;

/// <summary>Prints with the real Chromium and reads the PDF back with PdfPig.</summary>
public sealed class ChromiumPdfPrinterTests
{
    private const string Agreement = """
        <h1>人民调解协议书</h1>
        <p>甲方：张三，乙方：李四。双方因邻里通道纠纷，经调解自愿达成如下协议。</p>
        <table>
          <thead><tr><th>事项</th><th>约定</th></tr></thead>
          <tbody><tr><td>赔偿</td><td>乙方向甲方支付人民币伍佰元整</td></tr></tbody>
        </table>
        <div class="signatures">
          <div><p>甲方（签名）：</p></div>
          <div><p>乙方（签名）：</p></div>
        </div>
        <p class="date">2026年11月28日</p>
        """;

    // A4 is 210 × 297 mm, 595.28 × 841.89 pt.
    private const double A4Width = 595.28;
    private const double A4Height = 841.89;

    [Fact]
    public async Task PrintAsync_ChineseAgreement_ChineseTextComesBackFromThePdf()
    {
        var printer = InstalledChromium.PrinterOrSkip();

        var pdf = await printer.PrintAsync(DocumentPage.Wrap("人民调解协议书", Agreement, "zh-CN"), TestContext.Current.CancellationToken);

        var text = TextOf(pdf);
        Assert.Contains("人民调解协议书", text);
        Assert.Contains("甲方：张三，乙方：李四", text);
        Assert.Contains("乙方向甲方支付人民币伍佰元整", text);
        Assert.Contains("2026年11月28日", text);
    }

    [Fact]
    public async Task PrintAsync_ChineseAgreement_IsSetInAnEmbeddedTrueTypeCjkFont()
    {
        var printer = InstalledChromium.PrinterOrSkip();

        // Regular weight only: bold headings are emboldened by Chromium and always come out as Type 3.
        var pdf = await printer.PrintAsync(DocumentPage.Wrap("协议", "<p>双方经调解自愿达成如下协议。</p>", "zh-CN"), TestContext.Current.CancellationToken);

        // Without a CJK font Chromium may still map the missing glyphs to the right characters, so the text alone
        // would pass with a page of empty boxes: the font that drew them is what tells. A TrueType font (not a
        // Type 3 one made from Noto CJK) is also what keeps the text layer free of Kangxi radicals (see DocumentPage).
        using var document = PdfDocument.Open(pdf);
        var fonts = document.GetPage(1).Letters.Where(letter => letter.Value == "调").Select(letter => letter.FontName ?? "").Distinct().ToList();
        Assert.NotEmpty(fonts);
        Assert.All(fonts, font => Assert.Matches("(?i)uming|wenquanyi", font));
    }

    [Fact]
    public async Task PrintAsync_Page_IsAnA4PdfWithoutBrowserHeaderOrFooter()
    {
        var printer = InstalledChromium.PrinterOrSkip();

        var pdf = await printer.PrintAsync(DocumentPage.Wrap("协议", "<p>甲方、乙方</p>", "zh-CN"), TestContext.Current.CancellationToken);

        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        using var document = PdfDocument.Open(pdf);
        Assert.Equal(1, document.NumberOfPages);
        var page = document.GetPage(1);
        Assert.InRange(page.Width, A4Width - 2, A4Width + 2);
        Assert.InRange(page.Height, A4Height - 2, A4Height + 2);
        // Chromium's default header and footer carry the date, the title and the temporary file's URL.
        var text = TextOf(pdf);
        Assert.DoesNotContain("file:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("document.html", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrintAsync_TwoAtOnce_BothPrintTheirOwnPage()
    {
        var printer = InstalledChromium.PrinterOrSkip();
        var cancellationToken = TestContext.Current.CancellationToken;

        var first = printer.PrintAsync(DocumentPage.Wrap("一", "<p>第一份协议：甲方</p>", "zh-CN"), cancellationToken);
        var second = printer.PrintAsync(DocumentPage.Wrap("二", "<p>第二份协议：乙方</p>", "zh-CN"), cancellationToken);
        var pdfs = await Task.WhenAll(first, second);

        Assert.Contains("第一份协议：甲方", TextOf(pdfs[0]));
        Assert.Contains("第二份协议：乙方", TextOf(pdfs[1]));
    }

    [Fact]
    public async Task PrintAsync_PageReferencesTheNetwork_NothingIsFetched()
    {
        // Were the request let through, Chromium would wait for an answer that never comes and time out.
        var printer = InstalledChromium.PrinterOrSkip(timeout: TimeSpan.FromSeconds(30));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var body = $"""
            <p>甲方</p>
            <img src="{address}/pixel.png" alt="">
            <link rel="stylesheet" href="{address}/style.css">
            <script src="{address}/script.js"></script>
            """;

        var pdf = await printer.PrintAsync(DocumentPage.Wrap("协议", body, "zh-CN"), TestContext.Current.CancellationToken);

        Assert.Contains("甲方", TextOf(pdf));
        Assert.False(listener.Pending(), "Chromium connected to the address the page named.");
    }

    /// <summary>All the PDF's text without whitespace, which PDF extraction places between glyphs at will.</summary>
    private static string TextOf(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var text = string.Concat(document.GetPages().SelectMany(page => page.Text).Where(character => !char.IsWhiteSpace(character)));
        // CJK Radicals Supplement and Kangxi Radicals never appear in these documents; when they do, the page was
        // set in Noto CJK, whose text layer Chromium gets wrong.
        Assert.False(
            text.Any(character => character is >= '\u2E80' and <= '\u2FDF'),
            $"The PDF's text holds Kangxi radicals in place of ideographs (\"{text[..Math.Min(text.Length, 40)]}…\"): "
            + "the page fell back to Noto CJK. Install fonts-arphic-uming (or fonts-wqy-microhei).");
        return text;
    }
}
