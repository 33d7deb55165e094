using System.Collections.Immutable;
using Yishi.Engine.Runtime;
using Yishi.Engine.Validation;

namespace Yishi.Server.Problems;

/// <summary>
/// ProblemDetails with a stable <c>type</c> (<c>urn:yishi:problem:&lt;name&gt;</c>) that clients can switch on,
/// and, for validation, every problem with its location.
/// </summary>
internal static class Problem
{
    public static IResult Of(int status, string name, string title, string? detail = null, IEnumerable<ValidationProblem>? problems = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (problems is not null)
        {
            extensions["problems"] = problems.Select(ProblemView.Of).ToList();
        }

        return TypedResults.Problem(detail, statusCode: status, title: title, type: "urn:yishi:problem:" + name, extensions: extensions);
    }

    /// <summary>The HTTP answer to a runtime call that did not succeed.</summary>
    public static IResult From(StepResult result) => result.Status switch
    {
        StepStatus.NotFound => Of(404, "not-found", "Not found", result.Message),
        StepStatus.Conflict => Of(409, result.Conflict switch
        {
            Engine.Persistence.ConflictReason.BookmarkConsumed => "already-completed",
            Engine.Persistence.ConflictReason.TaskClaimed => "already-claimed",
            _ => "conflict",
        }, "Conflict", result.Message),
        StepStatus.InvalidInput => Of(422, "invalid-input", "The input does not fit", result.Message, result.Problems),
        StepStatus.Forbidden => Of(403, "forbidden", "Forbidden", result.Message),
        StepStatus.NotActive => Of(409, "not-active", "The instance does not allow this now", result.Message),
        _ => Of(500, "failed", "The step could not be saved", result.Message),
    };

    public static IResult Invalid(string title, ImmutableArray<ValidationProblem> problems) => Of(422, "invalid-definition", title, null, problems);

    /// <summary>422 for a template that does not parse or render: each error with its line and column in the file.</summary>
    public static IResult Template(string detail, IEnumerable<Engine.Notifications.Templates.TemplateError> errors) =>
        TypedResults.Problem(detail, statusCode: 422, title: "The template has errors", type: "urn:yishi:problem:invalid-template",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.ToList() });
}
