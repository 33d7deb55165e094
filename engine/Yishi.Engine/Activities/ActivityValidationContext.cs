using System.Collections.Immutable;
using Yishi.Engine.Definitions;
using Yishi.Engine.Expressions;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Activities;

/// <summary>What an activity type sees while its definition is validated.</summary>
public sealed class ActivityValidationContext
{
    private readonly List<ValidationProblem> _problems;
    private readonly Func<string?, SourcePosition?> _locate;

    internal ActivityValidationContext(WorkflowDefinition definition, ActivityDefinition activity, int activityIndex, ExpressionEngine expressions,
        ImmutableHashSet<string> variables, List<ValidationProblem> problems, Func<string?, SourcePosition?> locate)
    {
        Definition = definition;
        Activity = activity;
        ActivityIndex = activityIndex;
        Expressions = expressions;
        Variables = variables;
        _problems = problems;
        _locate = locate;
    }

    /// <summary>The definition.</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>The activity under validation.</summary>
    public ActivityDefinition Activity { get; }

    /// <summary>Its index in <c>activities</c>.</summary>
    public int ActivityIndex { get; }

    /// <summary>The expression engine.</summary>
    public ExpressionEngine Expressions { get; }

    /// <summary>Declared variable names.</summary>
    public ImmutableHashSet<string> Variables { get; }

    /// <summary>The JSON pointer of a property (or of a part inside it).</summary>
    public string PointerOf(string property, string? inner = null) =>
        $"/activities/{ActivityIndex}/properties/{SourceMap.Escape(property)}{inner}";

    /// <summary>Reports a problem on a property.</summary>
    public void Report(ProblemSeverity severity, string code, string message, string? property, string? inner = null, SourcePosition? expressionPosition = null)
    {
        var pointer = property is null ? $"/activities/{ActivityIndex}" : PointerOf(property, inner);
        _problems.Add(new ValidationProblem(severity, code, message)
        {
            ActivityId = Activity.Id,
            Property = property,
            Path = pointer,
            Position = _locate(pointer),
            ExpressionPosition = expressionPosition,
        });
    }

    /// <summary>Reports an error on a property.</summary>
    public void Error(string code, string message, string? property, string? inner = null) => Report(ProblemSeverity.Error, code, message, property, inner);

    /// <summary>Checks an expression's syntax and the names it reads; reports problems on the property.</summary>
    public void CheckExpression(string property, string text, string? inner = null)
    {
        var parsed = Expressions.Parse(text);
        foreach (var error in parsed.Errors)
        {
            Report(ProblemSeverity.Error, error.Code, error.Message, property, inner, error.Position);
        }

        foreach (var name in parsed.Globals)
        {
            if (!Variables.Contains(name) && !ExpressionScope.ReservedNames.Contains(name) && !Expressions.IsBuiltin(name))
            {
                Report(ProblemSeverity.Error, ProblemCodes.UnknownVariable,
                    $"The expression reads '{name}', which is not a declared variable. Declare it under 'variables' or fix the name.", property, inner, LocateName(text, name));
            }
        }
    }

    private static SourcePosition? LocateName(string text, string name)
    {
        var index = text.IndexOf(name, StringComparison.Ordinal);
        if (index < 0)
        {
            return null;
        }

        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new SourcePosition(line, index - lineStart + 1);
    }
}
