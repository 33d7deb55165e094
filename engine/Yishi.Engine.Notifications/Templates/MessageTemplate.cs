using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Scriban;
using Scriban.Parsing;
using Yishi.Engine.Expressions;

namespace Yishi.Engine.Notifications.Templates;

/// <summary>One part of a template, compiled.</summary>
/// <param name="Name">Its name (<see cref="TemplateParts"/>).</param>
/// <param name="FirstLine">The file line its text starts on (from 1), so errors point into the file.</param>
/// <param name="Source">Its text.</param>
/// <param name="Compiled">The Scriban template; rendering reuses it.</param>
public sealed record TemplatePart(string Name, int FirstLine, string Source, Template Compiled);

/// <summary>The settings in a template's <c>meta</c> part.</summary>
/// <param name="Urgent">Sent by SMS even in quiet hours (e.g. a hearing moved to tomorrow morning).</param>
/// <param name="SmsCode">The SMS provider's pre-approved template code, when the gateway needs one.</param>
/// <param name="Kind"><c>message</c> (a notification) or <c>document</c> (e.g. a mediation agreement).</param>
public sealed record TemplateMeta(bool Urgent = false, string? SmsCode = null, string Kind = TemplateMeta.Message)
{
    /// <summary>A notification.</summary>
    public const string Message = "message";

    /// <summary>A document printed to HTML and PDF.</summary>
    public const string Document = "document";
}

/// <summary>
/// A template file (<c>templates/&lt;key&gt;/&lt;locale&gt;.scriban</c>) split into its parts and compiled. Parsing
/// never throws: every problem comes back in <see cref="Errors"/> with its line and column in the file.
/// </summary>
public sealed partial class MessageTemplate
{
    /// <summary>Names every template may read besides the workflow's variables.</summary>
    public static readonly FrozenSet<string> ModelNames = FrozenSet.Create(StringComparer.Ordinal, "recipient", "org", "instance", "links", "now");

    /// <summary>Longest template file accepted.</summary>
    public const int MaxLength = 64 * 1024;

    private static readonly ParserOptions ParserOptions = new() { ExpressionDepthLimit = 64 };

    private MessageTemplate(string text, string hash, TemplateMeta meta, JsonObject? sample, FrozenDictionary<string, TemplatePart> parts,
        IReadOnlyList<TemplateError> errors, FrozenDictionary<string, (int Line, int Column)> reads)
    {
        Text = text;
        Hash = hash;
        Meta = meta;
        Sample = sample;
        Parts = parts;
        Errors = errors;
        Reads = reads;
    }

    /// <summary>The whole file.</summary>
    public string Text { get; }

    /// <summary>SHA-256 of the text, hex: the cache key and the version's identity.</summary>
    public string Hash { get; }

    /// <summary>The <c>meta</c> settings.</summary>
    public TemplateMeta Meta { get; }

    /// <summary>The <c>sample</c> variables, if given.</summary>
    public JsonObject? Sample { get; }

    /// <summary>The rendered parts present, by name.</summary>
    public FrozenDictionary<string, TemplatePart> Parts { get; }

    /// <summary>Problems, errors and warnings, in file order.</summary>
    public IReadOnlyList<TemplateError> Errors { get; }

    /// <summary>Whether it can be rendered (warnings allowed).</summary>
    public bool IsValid => Errors.All(e => e.Severity != TemplateError.Error);

    /// <summary>The top-level names the parts read, with where each is first read.</summary>
    public FrozenDictionary<string, (int Line, int Column)> Reads { get; }

    /// <summary>
    /// Names read that are neither the model's (<see cref="ModelNames"/>), nor template functions, nor in
    /// <paramref name="declared"/>: a typo, or a variable the workflow does not have. Reported as warnings.
    /// </summary>
    public IReadOnlyList<TemplateError> UndeclaredReads(IReadOnlySet<string> declared, Func<string, bool> isFunction) =>
        [.. Reads.Where(r => !ModelNames.Contains(r.Key) && !declared.Contains(r.Key) && !isFunction(r.Key))
            .OrderBy(r => r.Value.Line).ThenBy(r => r.Value.Column)
            .Select(r => new TemplateError(r.Value.Line, r.Value.Column,
                $"'{r.Key}' is not a variable of this workflow. Declare it in the workflow or fix the name.", null, TemplateError.Warning))];

    /// <summary>Splits and compiles a template file.</summary>
    public static MessageTemplate Parse(string text)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var errors = new List<TemplateError>();
        if (text.Length > MaxLength)
        {
            errors.Add(new TemplateError(1, 1, $"The template has {text.Length:N0} characters; the limit is {MaxLength:N0}."));
            return new MessageTemplate(text, hash, new TemplateMeta(), null, FrozenDictionary<string, TemplatePart>.Empty, errors, FrozenDictionary<string, (int, int)>.Empty);
        }

        var sections = Split(text, errors);
        var meta = sections.TryGetValue(TemplateParts.Meta, out var metaSection) ? ReadMeta(metaSection, errors) : new TemplateMeta();
        var sample = sections.TryGetValue(TemplateParts.Sample, out var sampleSection) ? ReadSample(sampleSection, errors) : null;
        var parts = new Dictionary<string, TemplatePart>(StringComparer.Ordinal);
        var reads = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        foreach (var (name, section) in sections)
        {
            if (name is TemplateParts.Meta or TemplateParts.Sample)
            {
                continue;
            }

            var compiled = Template.Parse(section.Text, sourceFilePath: null, ParserOptions);
            if (compiled.HasErrors)
            {
                errors.AddRange(compiled.Messages.Where(m => m.Type == ParserMessageType.Error)
                    .Select(m => new TemplateError(LineOf(m.Span, section), ColumnOf(m.Span, section), m.Message, name)));
                continue;
            }

            var collector = new GlobalNameCollector();
            compiled.Page?.Accept(collector);
            foreach (var (read, span) in collector.FirstRead)
            {
                if (!collector.Assigned.Contains(read))
                {
                    reads.TryAdd(read, (section.FirstLine + span.Start.Line, span.Start.Column + 1));
                }
            }

            parts[name] = new TemplatePart(name, section.FirstLine, section.Text, compiled);
        }

        if (sections.Count > 0 && meta.Kind == TemplateMeta.Document && !parts.ContainsKey(TemplateParts.Html))
        {
            errors.Add(new TemplateError(1, 1, "A document template needs an '--- html ---' part.", TemplateParts.Html));
        }
        else if (sections.Count > 0 && meta.Kind == TemplateMeta.Message && !parts.ContainsKey(TemplateParts.Title) && !parts.ContainsKey(TemplateParts.Subject))
        {
            errors.Add(new TemplateError(1, 1, "A message template needs at least a '--- title ---' part (the in-app title, and the email subject when there is no subject).", TemplateParts.Title));
        }

        return new MessageTemplate(text, hash, meta, sample, parts.ToFrozenDictionary(StringComparer.Ordinal),
            [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)], reads.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private sealed record Section(int FirstLine, string Text);

    private static Dictionary<string, Section> Split(string text, List<TemplateError> errors)
    {
        var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        string? current = null;
        var skipping = false;
        var start = 0;
        var body = new StringBuilder();

        void Close()
        {
            if (current is not null)
            {
                // The newline that ends a part's last line belongs to the file layout, not to the message.
                sections[current] = new Section(start, body.ToString().TrimEnd('\r', '\n'));
            }

            body.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var header = HeaderPattern().Match(line);
            if (header.Success)
            {
                Close();
                skipping = false;
                var name = header.Groups[1].Value;
                if (!TemplateParts.All.Contains(name))
                {
                    errors.Add(new TemplateError(i + 1, header.Groups[1].Index + 1,
                        $"'{name}' is not a template part. Parts are: {string.Join(", ", TemplateParts.All)}."));
                    // Its lines belong to the unknown part: one error for it, not one per line.
                    current = null;
                    skipping = true;
                    continue;
                }

                if (sections.ContainsKey(name))
                {
                    errors.Add(new TemplateError(i + 1, 1, $"The part '{name}' appears twice.", name));
                }

                current = name;
                start = i + 2;
                continue;
            }

            if (current is null)
            {
                if (!skipping && line.Trim().Length > 0)
                {
                    errors.Add(new TemplateError(i + 1, 1, "Text before the first part header. Start each part with a line such as '--- title ---'."));
                }

                continue;
            }

            body.Append(lines[i]).Append('\n');
        }

        Close();
        if (sections.Count == 0 && errors.Count == 0)
        {
            errors.Add(new TemplateError(1, 1, "The template has no parts. Start each part with a line such as '--- title ---'."));
        }

        return sections;
    }

    private static TemplateMeta ReadMeta(Section section, List<TemplateError> errors)
    {
        var meta = new TemplateMeta();
        var lines = section.Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (key, value) = colon < 0 ? (line, "") : (line[..colon].Trim(), line[(colon + 1)..].Trim());
            switch (key)
            {
                case "urgent" when value is "true" or "false":
                    meta = meta with { Urgent = value == "true" };
                    break;
                case "sms-code" when value.Length > 0:
                    meta = meta with { SmsCode = value };
                    break;
                case "kind" when value is TemplateMeta.Message or TemplateMeta.Document:
                    meta = meta with { Kind = value };
                    break;
                default:
                    errors.Add(new TemplateError(section.FirstLine + i, 1,
                        $"'{line}' is not a setting. Settings are 'urgent: true|false', 'sms-code: <code>' and 'kind: message|document'.", TemplateParts.Meta));
                    break;
            }
        }

        return meta;
    }

    private static JsonObject? ReadSample(Section section, List<TemplateError> errors)
    {
        try
        {
            if (JsonNode.Parse(section.Text) is JsonObject sample)
            {
                return sample;
            }

            errors.Add(new TemplateError(section.FirstLine, 1, "The sample must be a JSON object of variables, e.g. {\"caseNo\": \"2026-001\"}.", TemplateParts.Sample));
        }
        catch (JsonException exception)
        {
            errors.Add(new TemplateError(section.FirstLine + (int)(exception.LineNumber ?? 0), (int)(exception.BytePositionInLine ?? 0) + 1,
                "The sample is not valid JSON: " + exception.Message.Split(" LineNumber", 2)[0], TemplateParts.Sample));
        }

        return null;
    }

    private static int LineOf(SourceSpan span, Section section) =>
        span.Start.Line >= 0 ? section.FirstLine + span.Start.Line : section.FirstLine + section.Text.Count(c => c == '\n');

    private static int ColumnOf(SourceSpan span, Section section) =>
        span.Start.Column >= 0 ? span.Start.Column + 1 : section.Text.Split('\n')[^1].Length + 1;

    [GeneratedRegex(@"^---\s*([A-Za-z][A-Za-z0-9-]*)\s*---\s*$")]
    private static partial Regex HeaderPattern();
}
