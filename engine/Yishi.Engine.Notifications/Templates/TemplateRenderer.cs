using System.Collections.Concurrent;
using Scriban.Runtime;
using Scriban.Syntax;
using Yishi.Engine.Expressions;

namespace Yishi.Engine.Notifications.Templates;

/// <summary>The rendered parts of one template for one recipient, or the error that stopped it.</summary>
/// <param name="Parts">Rendered text by part name.</param>
/// <param name="Error">Set when rendering failed; the parts are then incomplete.</param>
public sealed record RenderedTemplate(IReadOnlyDictionary<string, string> Parts, TemplateError? Error)
{
    /// <summary>A part's text, or null when the template has no such part.</summary>
    public string? this[string part] => Parts.TryGetValue(part, out var text) ? text : null;
}

/// <summary>
/// Renders templates in a sandbox: Scriban's builtins minus file access, eval, the wall clock and randomness (the
/// same set expressions get), plus Yishi's functions; includes only from <c>templates/includes/</c>; bounded loops,
/// recursion, object depth, output and time. Compiled templates are cached by text; the renderer is thread-safe.
/// </summary>
public sealed class TemplateRenderer : IDisposable
{
    private readonly TemplateSandbox _sandbox;
    private readonly ITemplateLoader? _includes;
    private readonly ScriptObject _builtins;
    private readonly ScriptObject _functions = TemplateFunctions.Create();
    private readonly ConcurrentDictionary<string, MessageTemplate> _cache = new(StringComparer.Ordinal);
    private readonly ThreadLocal<RenderContext?> _contexts = new();
    private readonly RenderWatchdog _watchdog;

    /// <summary>Creates a renderer; without <paramref name="includes"/> a template cannot include anything.</summary>
    public TemplateRenderer(TemplateSandbox? sandbox = null, ITemplateLoader? includes = null)
    {
        _sandbox = sandbox ?? new TemplateSandbox();
        _includes = includes;
        _builtins = SandboxBuiltins.Create(includes is null ? null : new TrustedInclude());
        _watchdog = new RenderWatchdog(_sandbox.TimeLimit, TimeProvider.System);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _contexts.Dispose();
        _watchdog.Dispose();
    }

    /// <summary>Whether a name is a function templates can call (not a variable).</summary>
    public bool IsFunction(string name) => TemplateFunctions.Names.Contains(name) || _builtins.ContainsKey(name);

    /// <summary>Parses (or takes from the cache) a template file.</summary>
    public MessageTemplate Compile(string text)
    {
        if (_cache.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var template = MessageTemplate.Parse(text);
        if (_cache.Count >= _sandbox.CacheSize)
        {
            // Templates change rarely; a full cache means churn from previews, and starting over is cheap.
            _cache.Clear();
        }

        _cache.TryAdd(text, template);
        return template;
    }

    /// <summary>
    /// Prepares what all recipients of one notification share, converted once. Given the template, only the variables
    /// it reads are converted (a case may hold a list of a thousand voters that a reminder never prints).
    /// </summary>
    public TemplateScope Scope(TemplateData data, MessageTemplate? template = null) =>
        new(data, _sandbox.ObjectDepthLimit, template is null || template.Reads.ContainsKey("include") ? null : template.Reads);

    /// <summary>Renders <paramref name="parts"/> (those the template has) for one recipient.</summary>
    public RenderedTemplate Render(MessageTemplate template, TemplateScope scope, TemplateRecipient recipient, IEnumerable<string> parts)
    {
        if (!template.IsValid)
        {
            return new RenderedTemplate(new Dictionary<string, string>(), template.Errors.First(e => e.Severity == TemplateError.Error));
        }

        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        var who = new ScriptObject(1)
        {
            ["recipient"] = Frozen(new ScriptObject(3) { ["name"] = recipient.Name, ["locale"] = recipient.Locale, ["staff"] = recipient.Staff }),
        };
        var token = _watchdog.Start();
        try
        {
            return RenderParts(template, scope, who, parts, results, token);
        }
        finally
        {
            _watchdog.Stop();
        }
    }

    private RenderedTemplate RenderParts(MessageTemplate template, TemplateScope scope, ScriptObject who, IEnumerable<string> parts,
        Dictionary<string, string> results, CancellationToken token)
    {
        foreach (var name in parts)
        {
            if (!template.Parts.TryGetValue(name, out var part))
            {
                continue;
            }

            // A context is costly to build and allocates a lot (which serialises threads on the GC): each thread
            // keeps one and reuses it; one that saw an error is dropped, whatever state the error left in it.
            var context = _contexts.Value ??= NewContext();
            context.Begin(scope.Data, escapeHtml: name == TemplateParts.Html, token);
            context.PushGlobal(_functions);
            context.PushGlobal(scope.Plain);
            context.PushGlobal(who);
            // Assignments land here, so one part (or one recipient) cannot change what the next one sees.
            context.PushGlobal(new ScriptObject());
            try
            {
                results[name] = part.Compiled.Render(context);
                context.End();
            }
            catch (Exception exception)
            {
                _contexts.Value = null;
                if (Failure(exception, part, name, token.IsCancellationRequested) is not { } error)
                {
                    throw;
                }

                return new RenderedTemplate(results, error);
            }
        }

        return new RenderedTemplate(results, null);
    }

    /// <summary>The template's error behind an exception, or null when the exception is not the template's doing.</summary>
    private TemplateError? Failure(Exception exception, TemplatePart part, string name, bool timedOut) => exception switch
    {
        ScriptRuntimeException runtime => new TemplateError(
            runtime.Span.Start.Line >= 0 ? part.FirstLine + runtime.Span.Start.Line : part.FirstLine, runtime.Span.Start.Column >= 0 ? runtime.Span.Start.Column + 1 : 1,
            timedOut ? TimedOut() : runtime.OriginalMessage ?? runtime.Message, name),
        OperationCanceledException => new TemplateError(part.FirstLine, 1, TimedOut(), name),
        // Builtins throw ordinary exceptions for bad arguments: the template's mistake, reported at its part.
        InvalidOperationException or ArgumentException or FormatException or OverflowException or InvalidCastException or IndexOutOfRangeException
            or NullReferenceException or InsufficientExecutionStackException or System.Text.RegularExpressions.RegexMatchTimeoutException or NotSupportedException
            => new TemplateError(part.FirstLine, 1, exception.Message, name),
        _ => null,
    };

    private string TimedOut() => $"Rendering took longer than {_sandbox.TimeLimit.TotalMilliseconds:N0} ms and was stopped (an endless loop?).";

    private RenderContext NewContext() => new(_builtins)
    {
        LoopLimit = _sandbox.LoopLimit,
        LoopLimitQueryable = _sandbox.LoopLimit,
        RecursiveLimit = _sandbox.RecursionLimit,
        ObjectRecursionLimit = _sandbox.ObjectDepthLimit,
        LimitToString = _sandbox.OutputLimit,
        OutputLimit = _sandbox.OutputLimit,
        RegexTimeOut = TimeSpan.FromMilliseconds(100),
        TemplateLoader = _includes,
        StrictVariables = false,
        EnableRelaxedMemberAccess = true,
        MemberRenamer = member => member.Name,
    };

    /// <summary>Makes an object and everything in it read-only, so no rendering can change what the next one reads.</summary>
    internal static object? Frozen(object? value)
    {
        switch (value)
        {
            case ScriptObject obj:
                foreach (var (_, item) in obj)
                {
                    Frozen(item);
                }

                obj.IsReadOnly = true;
                return obj;
            case ScriptArray array:
                foreach (var item in array)
                {
                    Frozen(item);
                }

                array.IsReadOnly = true;
                return array;
            default:
                return value;
        }
    }
}

/// <summary>What every recipient of one notification reads, converted to Scriban values once and read-only.</summary>
public sealed class TemplateScope
{
    internal TemplateScope(TemplateData data, int depthLimit, IReadOnlyDictionary<string, (int, int)>? reads)
    {
        Data = data;
        var plain = new ScriptObject(data.Variables.Count + 5);
        foreach (var (name, value) in data.Variables)
        {
            if (reads is null || reads.ContainsKey(name))
            {
                plain[name] = ScriptValues.ToScript(value, depthLimit);
            }
        }

        plain["instance"] = ScriptValues.ToScript(data.Instance, depthLimit);
        plain["org"] = ScriptValues.ToScript(data.Org, depthLimit);
        plain["links"] = ScriptValues.ToScript(data.Links, depthLimit);
        plain["now"] = data.Now;
        Plain = (ScriptObject)TemplateRenderer.Frozen(plain)!;
    }

    /// <summary>The notification's data.</summary>
    public TemplateData Data { get; }

    internal ScriptObject Plain { get; }

}
