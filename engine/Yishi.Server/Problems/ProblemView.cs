using Yishi.Engine.Validation;

namespace Yishi.Server.Problems;

/// <summary>A validation problem as JSON: what, where (activity, property, pointer, line and column).</summary>
internal sealed record ProblemView(string Severity, string Code, string Message, string? ActivityId, string? Property, string? Path, int? Line, int? Column,
    int? ExpressionLine, int? ExpressionColumn)
{
    public static ProblemView Of(ValidationProblem p) => new(p.Severity.ToString().ToLowerInvariant(), p.Code, p.Message, p.ActivityId, p.Property, p.Path,
        p.Position?.Line, p.Position?.Column, p.ExpressionPosition?.Line, p.ExpressionPosition?.Column);
}
