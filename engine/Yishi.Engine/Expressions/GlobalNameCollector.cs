using Scriban.Syntax;

namespace Yishi.Engine.Expressions;

/// <summary>Collects top-level names an expression reads and the ones it assigns.</summary>
internal sealed class GlobalNameCollector : ScriptVisitor
{
    public HashSet<string> Read { get; } = new(StringComparer.Ordinal);

    /// <summary>Where each name is first read (templates report unknown names at their place).</summary>
    public Dictionary<string, Scriban.Parsing.SourceSpan> FirstRead { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Assigned { get; } = new(StringComparer.Ordinal);

    /// <summary><c>for.index</c>, <c>while.index</c>…: loop state, not variables.</summary>
    private static readonly HashSet<string> LoopNames = new(StringComparer.Ordinal) { "for", "while", "tablerow" };

    public override void Visit(ScriptVariableGlobal node)
    {
        if (!LoopNames.Contains(node.Name) && Read.Add(node.Name))
        {
            FirstRead[node.Name] = node.Span;
        }

        base.Visit(node);
    }

    public override void Visit(ScriptMemberExpression node)
    {
        // In activities.review.outcome only 'activities' is read; the names after the dots are members.
        node.Target?.Accept(this);
    }

    public override void Visit(ScriptObjectMember node)
    {
        // A key of an object literal ({ case: caseNo }) is a name, not a read.
        node.Value?.Accept(this);
    }

    public override void Visit(ScriptNamedArgument node)
    {
        node.Value?.Accept(this);
    }

    public override void Visit(ScriptAssignExpression node)
    {
        if (node.Target is ScriptVariableGlobal target)
        {
            Assigned.Add(target.Name);
        }

        base.Visit(node);
    }

    public override void Visit(ScriptFunction node)
    {
        if (node.NameOrDoToken is ScriptVariableGlobal name)
        {
            Assigned.Add(name.Name);
        }

        foreach (var parameter in node.Parameters ?? [])
        {
            if (parameter.Name is ScriptVariableGlobal p)
            {
                Assigned.Add(p.Name);
            }
        }

        base.Visit(node);
    }

    public override void Visit(ScriptForStatement node)
    {
        if (node.Variable is ScriptVariableGlobal variable)
        {
            Assigned.Add(variable.Name);
        }

        base.Visit(node);
    }
}
