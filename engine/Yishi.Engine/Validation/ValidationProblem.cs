namespace Yishi.Engine.Validation;

/// <summary>How bad a problem is: errors block publishing and starting, warnings do not.</summary>
public enum ProblemSeverity
{
    /// <summary>Worth a look; does not block.</summary>
    Warning,
    /// <summary>Blocks publishing and running.</summary>
    Error,
}

/// <summary>A 1-based line and column in a text (a definition file or an expression).</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>
/// One thing wrong with a definition, an expression or an input, with where it is. Problems are data:
/// validators return all of them rather than throwing at the first.
/// </summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Code">Stable machine-readable code from <see cref="ProblemCodes"/>.</param>
/// <param name="Message">Plain explanation for the person who has to fix it.</param>
public sealed record ValidationProblem(ProblemSeverity Severity, string Code, string Message)
{
    /// <summary>The activity the problem is on, if any.</summary>
    public string? ActivityId { get; init; }

    /// <summary>The property of that activity (or the input field), if any.</summary>
    public string? Property { get; init; }

    /// <summary>JSON pointer into the definition, e.g. <c>/activities/2/type</c>.</summary>
    public string? Path { get; init; }

    /// <summary>Line and column in the definition file, when it was parsed from text.</summary>
    public SourcePosition? Position { get; init; }

    /// <summary>Line and column inside the expression, for expression problems.</summary>
    public SourcePosition? ExpressionPosition { get; init; }

    /// <summary>True for errors.</summary>
    public bool IsError => Severity == ProblemSeverity.Error;

    /// <summary>An error.</summary>
    public static ValidationProblem Error(string code, string message) => new(ProblemSeverity.Error, code, message);

    /// <summary>A warning.</summary>
    public static ValidationProblem Warning(string code, string message) => new(ProblemSeverity.Warning, code, message);

    /// <inheritdoc />
    public override string ToString()
    {
        var where = string.Join(" ", new[]
        {
            Position is { } p ? $"({p})" : null,
            ActivityId is null ? null : $"activity '{ActivityId}'",
            Property is null ? null : $"property '{Property}'",
            ExpressionPosition is { } e ? $"expression {e}" : null,
        }.Where(part => part is not null));
        return $"{Severity.ToString().ToUpperInvariant()} {Code}{(where.Length > 0 ? " " + where : "")}: {Message}";
    }
}

/// <summary>The stable codes of <see cref="ValidationProblem"/>.</summary>
public static class ProblemCodes
{
#pragma warning disable CS1591 // The names say what they are.
    public const string MalformedJson = "json.malformed";
    public const string TooLarge = "definition.too-large";
    public const string TooManyActivities = "definition.too-many-activities";
    public const string TooManyConnections = "definition.too-many-connections";
    public const string WrongType = "json.wrong-type";
    public const string MissingField = "json.missing-field";
    public const string UnknownField = "json.unknown-field";
    public const string InvalidId = "definition.invalid-id";
    public const string DuplicateActivity = "activity.duplicate-id";
    public const string DuplicateVariable = "variable.duplicate";
    public const string InvalidVariableName = "variable.invalid-name";
    public const string UnknownActivityType = "activity.unknown-type";
    public const string MissingProperty = "activity.missing-property";
    public const string InvalidProperty = "activity.invalid-property";
    public const string NoStart = "definition.no-start";
    public const string MultipleStarts = "definition.multiple-starts";
    public const string NoDraft = "definition.no-draft";
    public const string IdInUse = "definition.id-in-use";
    public const string ConcurrentEdit = "definition.concurrent-edit";
    public const string InvalidDefault = "variable.invalid-default";
    public const string DanglingConnection = "connection.dangling";
    public const string DuplicateConnection = "connection.duplicate";
    public const string UnknownOutcome = "connection.unknown-outcome";
    public const string Unreachable = "activity.unreachable";
    public const string UnconnectedOutcome = "activity.unconnected-outcome";
    public const string CycleWithoutWait = "definition.cycle-without-wait";
    public const string ExpressionSyntax = "expression.syntax";
    public const string ExpressionTooLong = "expression.too-long";
    public const string UnknownVariable = "expression.unknown-variable";
    public const string InputUnknown = "input.unknown-field";
    public const string InputWrongType = "input.wrong-type";
    public const string InputMissing = "input.missing";
    public const string InputInvalid = "input.invalid";
    public const string NoteTooLong = "publish.note-too-long";
#pragma warning restore CS1591
}
