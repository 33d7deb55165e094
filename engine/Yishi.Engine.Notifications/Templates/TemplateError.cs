namespace Yishi.Engine.Notifications.Templates;

/// <summary>A problem in a template, at its line and column in the whole file (both from 1).</summary>
/// <param name="Line">Line in the template file.</param>
/// <param name="Column">Column in that line.</param>
/// <param name="Message">What is wrong, in plain words.</param>
/// <param name="Part">The part it is in (<c>sms</c>, <c>html</c>…), if any.</param>
/// <param name="Severity"><c>error</c> blocks use; <c>warning</c> (a name the workflow does not declare, an SMS over one segment) does not.</param>
public sealed record TemplateError(int Line, int Column, string Message, string? Part = null, string Severity = TemplateError.Error)
{
    /// <summary>The template cannot be used.</summary>
    public const string Error = "error";

    /// <summary>The template works, but probably not as meant.</summary>
    public const string Warning = "warning";

    /// <inheritdoc />
    public override string ToString() => $"({Line},{Column}): {Message}";
}
