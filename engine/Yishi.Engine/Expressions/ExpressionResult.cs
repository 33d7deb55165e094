using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Expressions;

/// <summary>A problem in an expression, with its 1-based line and column inside the expression.</summary>
/// <param name="Code">A code from <see cref="ProblemCodes"/>.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Position">Where, when known.</param>
public sealed record ExpressionError(string Code, string Message, SourcePosition? Position);

/// <summary>The outcome of evaluating an expression: a JSON value, or an error.</summary>
public readonly record struct ExpressionResult(JsonNode? Value, ExpressionError? Error)
{
    /// <summary>True when evaluation failed.</summary>
    public bool Failed => Error is not null;
}

/// <summary>A parsed expression and what it reads.</summary>
/// <param name="Text">The source text.</param>
/// <param name="Errors">Syntax errors; empty when the expression can run.</param>
/// <param name="Globals">Top-level names it reads (variables, <c>input</c>, builtins…).</param>
public sealed record ParsedExpression(string Text, ImmutableArray<ExpressionError> Errors, ImmutableHashSet<string> Globals)
{
    internal Scriban.Template? Template { get; init; }

    /// <summary>True when the expression parsed.</summary>
    public bool IsValid => Errors.IsEmpty;
}
