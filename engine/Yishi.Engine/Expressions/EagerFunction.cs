using System.Collections;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Yishi.Engine.Expressions;

/// <summary>
/// Wraps a builtin that returns a lazy sequence so that the sequence is built at once, item by item, with a
/// cap on its size and the evaluation's cancellation checked. Scriban's lazy <c>array.*</c> functions nest one
/// enumerator per call: <c>a = a | array.add_range a</c> in a loop doubles the work each round without any
/// item for the loop limit to count, and never returns.
/// </summary>
internal sealed class EagerFunction(IScriptCustomFunction inner, int maxItems) : IScriptCustomFunction
{
    public int RequiredParameterCount => inner.RequiredParameterCount;

    public int ParameterCount => inner.ParameterCount;

    public ScriptVarParamKind VarParamKind => inner.VarParamKind;

    public Type ReturnType => inner.ReturnType;

    public ScriptParameterInfo GetParameterInfo(int index) => inner.GetParameterInfo(index);

    public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        Materialize(inner.Invoke(context, callerContext, arguments, blockStatement), context);

    public async ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        Materialize(await inner.InvokeAsync(context, callerContext, arguments, blockStatement), context);

    private object? Materialize(object? result, TemplateContext context)
    {
        if (result is string or ScriptArray or IDictionary || result is not IEnumerable sequence)
        {
            return result;
        }

        var items = new ScriptArray();
        foreach (var item in sequence)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (items.Count >= maxItems)
            {
                throw new InvalidOperationException($"A list in an expression may hold at most {maxItems:N0} items.");
            }

            items.Add(item);
        }

        return items;
    }
}
