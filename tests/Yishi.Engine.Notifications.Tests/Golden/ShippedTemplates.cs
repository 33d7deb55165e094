using System.Text.Json.Nodes;
using Yishi.Engine.Notifications.Templates;

namespace Yishi.Engine.Notifications.Tests.Golden;

/// <summary>One shipped template file: <c>templates/&lt;key&gt;/&lt;locale&gt;.scriban</c>.</summary>
internal sealed record ShippedTemplate(string Key, string Locale, string Path)
{
    /// <summary>Staff read these; residents read the rest.</summary>
    public bool ForStaff => Key.StartsWith("task/", StringComparison.Ordinal) || Key.StartsWith("digest/", StringComparison.Ordinal);
}

/// <summary>
/// Finds the shipped templates in the source tree and renders them the way the golden files record: with each
/// file's own sample, for a fixed case, org, recipient and clock.
/// </summary>
internal static class ShippedTemplates
{
    /// <summary>Set to 1 to write the golden files from what the templates render now.</summary>
    public const string UpdateVariable = "YISHI_UPDATE_GOLDEN";

    /// <summary>Saturday 28 November 2026, 10:00 in China.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string TemplatesFolder { get; } = Path.Combine(RepositoryRoot, "templates");

    /// <summary>Read from the source tree, not the build output, so that updating them updates what is committed.</summary>
    public static string GoldenFolder { get; } = Path.Combine(RepositoryRoot, "tests", "Yishi.Engine.Notifications.Tests", "Golden", "files");

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static TemplateRenderer Renderer { get; } = new(includes: new TemplateIncludes(TemplatesFolder));

    /// <summary>Every template file outside <c>templates/includes/</c>, in key and locale order.</summary>
    public static IReadOnlyList<ShippedTemplate> All { get; } = Find();

    public static ShippedTemplate Get(string key, string locale) => All.Single(t => t.Key == key && t.Locale == locale);

    public static MessageTemplate Compile(ShippedTemplate file) => Renderer.Compile(File.ReadAllText(file.Path));

    /// <summary>Renders every part the template has, with its sample.</summary>
    public static RenderedTemplate Render(ShippedTemplate file)
    {
        var template = Compile(file);
        var english = file.Locale == "en";
        var data = new TemplateData(template.Sample?.DeepClone().AsObject() ?? [], Now)
        {
            Instance = new JsonObject { ["id"] = "i-0117", ["no"] = "2026-0117", ["workflow"] = english ? "Dispute mediation" : "人民调解" },
            Org = new JsonObject { ["id"] = "c1", ["name"] = english ? "Xingfuli Community" : "幸福里社区" },
            Links = new JsonObject
            {
                ["case"] = "https://yishi.example/me/cases/i-0117",
                ["inbox"] = "https://yishi.example/me/inbox",
                ["portal"] = "https://yishi.example/me",
            },
        };
        var recipient = new TemplateRecipient(RecipientName(file.Locale), file.Locale, file.ForStaff);
        return Renderer.Render(template, Renderer.Scope(data), recipient, TemplateParts.Rendered);
    }

    public static string RecipientName(string locale) => locale == "en" ? "Zhang Lihua" : "张丽华";

    public static string GoldenPath(string key, string locale, string part) =>
        Path.Combine(GoldenFolder, Path.Combine(key.Split('/')), $"{locale}.{part}.txt");

    public static string Relative(string path) => Path.GetRelativePath(RepositoryRoot, path).Replace('\\', '/');

    private static List<ShippedTemplate> Find()
    {
        var includes = Path.Combine(TemplatesFolder, TemplateIncludes.Folder) + Path.DirectorySeparatorChar;
        return [.. Directory.EnumerateFiles(TemplatesFolder, "*.scriban", SearchOption.AllDirectories)
            .Where(path => !path.StartsWith(includes, StringComparison.Ordinal))
            .Select(path => new ShippedTemplate(
                Path.GetRelativePath(TemplatesFolder, Path.GetDirectoryName(path)!).Replace('\\', '/'),
                Path.GetFileNameWithoutExtension(path),
                path))
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .ThenBy(t => t.Locale, StringComparer.Ordinal)];
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Workflow.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Workflow.sln: the golden tests read the templates from the source tree.");
    }
}
