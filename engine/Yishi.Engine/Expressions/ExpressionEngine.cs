using System.Collections.Concurrent;
using System.Collections.Immutable;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Expressions;

/// <summary>
/// Parses and evaluates Scriban expressions (the language of Yishi's templates) in a sandbox: no includes, no
/// file or network access, no wall clock or randomness (so runs are deterministic), bounded loops, recursion,
/// nesting, string size and time. Parsed expressions are cached; the engine is thread-safe.
/// </summary>
public sealed class ExpressionEngine
{
    private readonly ExpressionOptions _options;
    private readonly ConcurrentDictionary<string, ParsedExpression> _cache = new(StringComparer.Ordinal);
    private readonly ScriptObject _builtins;
    private readonly ParserOptions _parserOptions;
    private static readonly LexerOptions LexerOptions = new() { Mode = ScriptMode.ScriptOnly };

    /// <summary>Creates an engine with the given limits.</summary>
    public ExpressionEngine(ExpressionOptions? options = null)
    {
        _options = options ?? new ExpressionOptions();
        _parserOptions = new ParserOptions { ExpressionDepthLimit = _options.NestingLimit };
        _builtins = SandboxBuiltins.Create();
    }

    /// <summary>The limits in force.</summary>
    public ExpressionOptions Options => _options;

    /// <summary>Parses (or fetches from the cache) an expression. Never throws for bad text.</summary>
    public ParsedExpression Parse(string text)
    {
        if (_cache.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var parsed = ParseUncached(text);
        if (_cache.Count >= _options.CacheSize)
        {
            // A crude bound: definitions are few and immutable, so a full cache means churn from design-time edits.
            _cache.Clear();
        }

        _cache.TryAdd(text, parsed);
        return parsed;
    }

    private ParsedExpression ParseUncached(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ParsedExpression(text, [new ExpressionError(ProblemCodes.ExpressionSyntax, "The expression is empty.", new SourcePosition(1, 1))], []);
        }

        if (text.Length > _options.MaxLength)
        {
            return new ParsedExpression(text, [new ExpressionError(ProblemCodes.ExpressionTooLong,
                $"The expression has {text.Length:N0} characters; the limit is {_options.MaxLength:N0}.", new SourcePosition(1, 1))], []);
        }

        Template template;
        try
        {
            template = Template.Parse(text, sourceFilePath: null, _parserOptions, LexerOptions);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or ScriptRuntimeException or InsufficientExecutionStackException)
        {
            return new ParsedExpression(text, [new ExpressionError(ProblemCodes.ExpressionSyntax, "The expression cannot be parsed: " + exception.Message, new SourcePosition(1, 1))], []);
        }

        if (template.HasErrors)
        {
            var errors = template.Messages
                .Where(message => message.Type == ParserMessageType.Error)
                .Select(message => new ExpressionError(ProblemCodes.ExpressionSyntax, message.Message, PositionOf(message.Span, text)))
                .ToImmutableArray();
            return new ParsedExpression(text, errors, []);
        }

        var collector = new GlobalNameCollector();
        try
        {
            template.Page?.Accept(collector);
        }
        catch (InsufficientExecutionStackException)
        {
            return new ParsedExpression(text, [new ExpressionError(ProblemCodes.ExpressionSyntax, "The expression is nested too deeply.", new SourcePosition(1, 1))], []);
        }

        var globals = collector.Read.Except(collector.Assigned).ToImmutableHashSet(StringComparer.Ordinal);
        return new ParsedExpression(text, [], globals) { Template = template };
    }

    /// <summary>The names of builtin function groups (string, math, date…), which are not variables.</summary>
    public bool IsBuiltin(string name) => _builtins.ContainsKey(name);

    /// <summary>Evaluates an expression against a scope. Errors (syntax, runtime, limits) come back as data.</summary>
    public ExpressionResult Evaluate(string text, ExpressionScope scope)
    {
        var parsed = Parse(text);
        if (!parsed.IsValid)
        {
            return new ExpressionResult(null, parsed.Errors[0]);
        }

        using var timeout = new CancellationTokenSource(_options.TimeLimit);
        var context = new TemplateContext(_builtins)
        {
            LoopLimit = _options.LoopLimit,
            LoopLimitQueryable = _options.LoopLimit,
            RecursiveLimit = _options.RecursionLimit,
            ObjectRecursionLimit = _options.ObjectDepthLimit,
            LimitToString = _options.StringLimit,
            OutputLimit = _options.StringLimit,
            RegexTimeOut = TimeSpan.FromMilliseconds(100),
            TemplateLoader = null,
            StrictVariables = false,
            EnableRelaxedMemberAccess = true,
            CancellationToken = timeout.Token,
            MemberRenamer = member => member.Name,
        };
        try
        {
            // Inside the try: a variable nested deeper than the limit is the definition's problem, reported like any other.
            context.PushGlobal(ScriptValues.ToGlobals(scope, _options.ObjectDepthLimit));
            var value = parsed.Template!.Evaluate(context);
            return new ExpressionResult(ScriptValues.ToJson(value, _options.ObjectDepthLimit), null);
        }
        catch (ScriptRuntimeException exception)
        {
            return Fail(exception.OriginalMessage ?? exception.Message, PositionOf(exception.Span, text), timeout.IsCancellationRequested);
        }
        catch (OperationCanceledException)
        {
            return Fail("", null, timedOut: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or FormatException or OverflowException
                                              or InvalidCastException or IndexOutOfRangeException or NullReferenceException or InsufficientExecutionStackException
                                              or System.Text.RegularExpressions.RegexMatchTimeoutException or OutOfMemoryException or NotSupportedException)
        {
            // Scriban's builtins throw ordinary .NET exceptions for bad arguments; they are the expression's fault, not the engine's.
            return Fail(exception.Message, null, timeout.IsCancellationRequested);
        }
    }

    private ExpressionResult Fail(string message, SourcePosition? position, bool timedOut) =>
        new(null, new ExpressionError(ProblemCodes.InputInvalid,
            timedOut ? $"The expression ran longer than {_options.TimeLimit.TotalMilliseconds:N0} ms and was stopped." : "The expression failed: " + message,
            position));

    private static SourcePosition PositionOf(SourceSpan span, string text)
    {
        if (span.Start.Line >= 0 && span.Start.Column >= 0)
        {
            return new SourcePosition(span.Start.Line + 1, span.Start.Column + 1);
        }

        // Scriban reports "unexpected end" at -1:-1; the end of the text is where the reader should look.
        var lines = text.Split('\n');
        return new SourcePosition(lines.Length, lines[^1].Length + 1);
    }
}
