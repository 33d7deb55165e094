using Scriban;
using Scriban.Runtime;

namespace Yishi.Engine.Expressions;

/// <summary>
/// Scriban's builtin functions minus what a sandbox must not have: includes (file access), eval (code from
/// data), the wall clock and randomness (they break deterministic replay and rehearsal on a fast-forwarded
/// clock; expressions read <c>now</c> instead), and padding (unbounded allocation from one argument).
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

    public static ScriptObject Create()
    {
        var builtins = new TemplateContext().BuiltinObject;
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
