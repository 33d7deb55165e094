using Scriban;
using Scriban.Runtime;

namespace Yishi.Engine.Expressions;

/// <summary>
/// Scriban's builtin functions minus what a sandbox must not have: includes (file access), eval (code from
/// data), the wall clock and randomness (they break deterministic replay and rehearsal on a fast-forwarded
/// clock; expressions read <c>now</c> instead), and padding (unbounded allocation from one argument).
/// The <c>array</c> functions build their results at once, with a size cap (see <see cref="EagerFunction"/>).
/// The groups are made read-only so one expression cannot change them for the next.
/// </summary>
internal static class SandboxBuiltins
{
    private static readonly string[] RemovedGlobals = ["include", "include_join"];

    private static readonly (string Group, string Function)[] RemovedFunctions =
    [
        ("object", "eval"), ("object", "eval_template"),
        ("math", "random"), ("math", "uuid"),
        ("date", "now"), ("date", "utc_now"),
        ("string", "pad_left"), ("string", "pad_right"),
    ];

    /// <summary>Most items a list built inside an expression may hold.</summary>
    public const int MaxListItems = 10_000;

    /// <summary>The sandboxed builtins; templates pass the one include function they allow (from <c>templates/includes/</c> only).</summary>
    public static ScriptObject Create(IScriptCustomFunction? include = null)
    {
        var builtins = new TemplateContext().BuiltinObject;
        if (builtins["array"] is ScriptObject arrays)
        {
            foreach (var name in arrays.Keys.ToList())
            {
                if (arrays[name] is IScriptCustomFunction function)
                {
                    arrays.SetValue(name, new EagerFunction(function, MaxListItems), readOnly: false);
                }
            }
        }

        foreach (var name in RemovedGlobals)
        {
            builtins.Remove(name);
        }

        foreach (var (group, function) in RemovedFunctions)
        {
            if (builtins[group] is ScriptObject functions)
            {
                functions.Remove(function);
            }
        }

        if (include is not null)
        {
            builtins.SetValue("include", include, readOnly: true);
        }

        foreach (var key in builtins.Keys.ToList())
        {
            if (builtins[key] is ScriptObject functions)
            {
                functions.IsReadOnly = true;
            }
        }

        builtins.IsReadOnly = true;
        return builtins;
    }
}
