using Scriban;
using Scriban.Functions;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Yishi.Engine.Notifications.Templates;

/// <summary>
/// Scriban's <c>include</c>, whose output is marked as markup: an included piece is a template too (its own values
/// were escaped as it rendered), so an HTML part prints it as it is instead of escaping its tags.
/// </summary>
internal sealed class TrustedInclude : IScriptCustomFunction
{
    private readonly IncludeFunction _include = new();

    public int RequiredParameterCount => _include.RequiredParameterCount;

    public int ParameterCount => _include.ParameterCount;

    public ScriptVarParamKind VarParamKind => _include.VarParamKind;

    public Type ReturnType => typeof(object);

    public ScriptParameterInfo GetParameterInfo(int index) => _include.GetParameterInfo(index);

    public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        _include.Invoke(context, callerContext, arguments, blockStatement) is string text ? new TrustedHtml(text) : null;

    public async ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        await _include.InvokeAsync(context, callerContext, arguments, blockStatement) is string text ? new TrustedHtml(text) : null;
}
