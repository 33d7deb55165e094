using Yishi.Engine.Validation;
using Yishi.Server.Problems;

namespace Yishi.Server.CaseFiles;

/// <summary>
/// Everything wrong with a request body, each problem with the field it is in (<c>property</c>) and where
/// (<c>path</c>, a JSON pointer), answered together as one 400 so a form can mark every field at once.
/// </summary>
internal sealed class FieldProblems
{
    private readonly List<ValidationProblem> _problems = [];

    public bool Any => _problems.Count > 0;

    /// <summary>Adds a problem with the field <paramref name="field"/>.</summary>
    /// <param name="field">The field's name in the request, e.g. <c>phone</c>.</param>
    /// <param name="code">A stable code a client can switch on, e.g. <c>invalid-phone</c>.</param>
    /// <param name="message">What is wrong and what would be right, without the value given.</param>
    /// <param name="path">The JSON pointer to the field, e.g. <c>/parties/1/phone</c>; <c>/</c> and the field when null.</param>
    public void Add(string field, string code, string message, string? path = null) =>
        _problems.Add(ValidationProblem.Error(code, message) with { Property = field, Path = path ?? "/" + field });

    /// <summary>The 400 answer (<c>urn:yishi:problem:bad-request</c>); its detail repeats every message, so a client that shows only the detail shows all of them.</summary>
    public IResult ToResult(string title) => Problem.Of(400, "bad-request", title, string.Join(" ", _problems.Select(p => p.Message)), _problems);
}
