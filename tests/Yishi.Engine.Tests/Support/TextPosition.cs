using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Support;

/// <summary>Where a piece of text is, counted the way people read it (1-based line and column).</summary>
public static class TextPosition
{
    public static SourcePosition Of(string text, string needle, int occurrence = 1)
    {
        var index = -1;
        for (var i = 0; i < occurrence; i++)
        {
            index = text.IndexOf(needle, index + 1, StringComparison.Ordinal);
            Assert.True(index >= 0, $"'{needle}' (occurrence {occurrence}) is not in the text.");
        }

        var lineStart = text.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1;
        return new SourcePosition(text[..index].Count(c => c == '\n') + 1, index - lineStart + 1);
    }
}
