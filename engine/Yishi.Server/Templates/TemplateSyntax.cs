using Scriban;
using Scriban.Parsing;

namespace Yishi.Server.Templates;

/// <summary>A syntax error in a template, with its line and column (both from 1).</summary>
public sealed record TemplateError(int Line, int Column, string Message)
{
    public override string ToString() => $"({Line},{Column}): {Message}";
}

/// <summary>Checks that a template's text parses, so a broken template is reported where it is written, not when a message is sent.</summary>
public static class TemplateSyntax
{
    public static IReadOnlyList<TemplateError> Check(string text)
    {
        var template = Template.Parse(text);
        return [.. template.Messages.Where(m => m.Type == ParserMessageType.Error)
            .Select(m => new TemplateError(m.Span.Start.Line + 1, m.Span.Start.Column + 1, m.Message))];
    }
}
