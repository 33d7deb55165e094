using Yishi.Engine.Activities.BuiltIn;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Yishi.Engine.Notifications.Templates;

/// <summary>
/// Lets templates include shared pieces (a signature, a footer) from <c>templates/includes/&lt;name&gt;.scriban</c>
/// and from nowhere else: a name is lower-case words separated by <c>/</c>, so <c>../</c>, absolute paths and
/// backslashes never reach the file system.
/// </summary>
public sealed class TemplateIncludes(string templatesFolder) : ITemplateLoader
{
    /// <summary>The folder, under the templates folder, that includes come from.</summary>
    public const string Folder = "includes";

    private readonly string _root = Path.GetFullPath(Path.Combine(templatesFolder, Folder)) + Path.DirectorySeparatorChar;

    /// <inheritdoc />
    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
    {
        if (!TemplateKeys.IsValid(templateName))
        {
            throw new ScriptRuntimeException(callerSpan,
                $"Cannot include '{templateName}': includes name a file in templates/{Folder}/ by its name, e.g. include \"signature\".");
        }

        var path = Path.GetFullPath(Path.Combine(_root, templateName + ".scriban"));
        if (!path.StartsWith(_root, StringComparison.Ordinal) || !File.Exists(path))
        {
            throw new ScriptRuntimeException(callerSpan, $"There is no include '{templateName}' in templates/{Folder}/.");
        }

        return path;
    }

    /// <inheritdoc />
    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => File.ReadAllText(templatePath);

    /// <inheritdoc />
    public async ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) => await File.ReadAllTextAsync(templatePath);
}
