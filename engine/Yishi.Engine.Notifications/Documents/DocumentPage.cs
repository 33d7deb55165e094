using System.Net;

namespace Yishi.Engine.Notifications.Documents;

/// <summary>
/// Wraps a rendered document body in a complete HTML page with the print stylesheet of an official Chinese
/// document (人民调解协议书 and the like): A4, CJK fonts, centred title, bordered tables, a signature block.
/// </summary>
/// <remarks>
/// Classes the stylesheet gives the body: <c>signatures</c> (a row of signature blocks, one child per party, kept on
/// one page), <c>date</c> (right-aligned), <c>no-indent</c> (a paragraph without the two-character indent) and
/// <c>page-break</c> (starts a new page).
/// </remarks>
public static class DocumentPage
{
    /// <summary>The language used when none is given: it also picks simplified Han glyphs from the CJK fonts.</summary>
    public const string DefaultLocale = "zh-CN";

    /// <summary>Returns the page: <paramref name="bodyHtml"/> goes in as given, the title and locale are encoded.</summary>
    /// <param name="title">The document's title, shown in the PDF's metadata and a browser tab.</param>
    /// <param name="bodyHtml">
    /// HTML rendered by the sandboxed template engine, whose values were HTML-escaped already; it is not escaped again.
    /// </param>
    /// <param name="locale">A BCP 47 tag such as <c>zh-CN</c>; blank means <see cref="DefaultLocale"/>.</param>
    public static string Wrap(string title, string bodyHtml, string locale)
    {
        // The lang attribute is not cosmetic: Chromium picks the Han glyph variants (simplified Chinese, Japanese…)
        // of a Noto CJK font by it, so a missing lang can print 关 or 说 in their Japanese shapes.
        var lang = string.IsNullOrWhiteSpace(locale) ? DefaultLocale : locale.Trim();
        return $"""
            <!DOCTYPE html>
            <html lang="{WebUtility.HtmlEncode(lang)}">
            <head>
            <meta charset="utf-8">
            {ContentSecurityPolicy}
            <title>{WebUtility.HtmlEncode(title)}</title>
            <style>
            {Stylesheet}
            </style>
            </head>
            <body>
            {bodyHtml}
            </body>
            </html>

            """;
    }

    // The page is opened by a full browser from a file:// URL. Scripts, frames and any fetch (a tracking pixel, a
    // file:///etc/… image) are refused, so a template cannot make the printer reach the network or the disk; only the
    // inline stylesheet and data: images and fonts load.
    private const string ContentSecurityPolicy =
        """<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:">""";

    // The font order puts a correct PDF text layer before looks. Chromium embeds Noto CJK (CFF outlines) as Type 3
    // fonts whose text layer maps 人 民 方 一 月 日 and many more to the look-alike Kangxi radicals (U+2F00…), so
    // "2026年11月28日" could be neither found nor copied from the PDF. AR PL UMing (a Song face) and WenQuanYi Micro Hei
    // are TrueType and come out right; Noto only fills in characters they lack. Songti SC and SimSun serve a screen
    // preview on macOS and Windows. Debian: fonts-arphic-uming, fonts-wqy-microhei, fonts-noto-cjk.

    /// <summary>The print stylesheet embedded in every page (exposed so a preview can show the same rules).</summary>
    public const string Stylesheet = """
        @page {
          size: A4;
          margin: 25mm 20mm;
        }

        html {
          /* Song (宋体/明体) is the face of official documents; see the note on the font order above. */
          font-family: "AR PL UMing CN", "Songti SC", SimSun, "WenQuanYi Micro Hei",
                       "Noto Serif CJK SC", "Noto Sans CJK SC", "Droid Sans Fallback", serif;
          font-size: 12pt;
          line-height: 1.8;
          color: #000;
          background: #fff;
        }

        body {
          margin: 0;
          orphans: 2;
          widows: 2;
        }

        h1 {
          text-align: center;
          font-size: 22pt;
          font-weight: bold;
          letter-spacing: 0.15em;
          margin: 0 0 1.2em;
        }

        h2, h3 {
          font-size: 14pt;
          font-weight: bold;
          margin: 1.2em 0 0.6em;
        }

        h1, h2, h3 {
          break-after: avoid;
          page-break-after: avoid;
        }

        /* Chinese prose opens each paragraph with a two-character indent. */
        p {
          margin: 0 0 0.6em;
          text-indent: 2em;
          text-align: justify;
        }

        p.no-indent, td p, th p, li p {
          text-indent: 0;
        }

        .date {
          text-align: right;
          text-indent: 0;
        }

        table {
          width: 100%;
          border-collapse: collapse;
          margin: 0.6em 0 1em;
          break-inside: avoid;
          page-break-inside: avoid;
        }

        /* A table longer than a page still breaks: then its header repeats and no row is cut in two. */
        thead {
          display: table-header-group;
        }

        tr {
          break-inside: avoid;
          page-break-inside: avoid;
        }

        th, td {
          border: 0.75pt solid #000;
          padding: 3pt 6pt;
          vertical-align: top;
          text-align: left;
        }

        th {
          font-weight: bold;
        }

        .signatures {
          display: flex;
          justify-content: space-between;
          gap: 2em;
          margin-top: 2.5em;
          break-inside: avoid;
          page-break-inside: avoid;
          /* Keeps the last lines of the agreement with the signatures, so no page holds signatures alone. */
          break-before: avoid;
          page-break-before: avoid;
        }

        .signatures > * {
          flex: 1;
        }

        .signatures p {
          text-indent: 0;
          margin: 0 0 1.2em;
        }

        .page-break {
          break-before: page;
          page-break-before: always;
        }

        @media screen {
          html {
            background: #e6e6e6;
          }

          body {
            box-sizing: border-box;
            width: 210mm;
            min-height: 297mm;
            margin: 2em auto;
            padding: 25mm 20mm;
            background: #fff;
            box-shadow: 0 0 0.6em rgba(0, 0, 0, 0.3);
          }
        }
        """;
}
