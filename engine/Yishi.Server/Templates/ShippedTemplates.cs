using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Engine.Definitions;
using Yishi.Engine.Notifications.Templates;
using Yishi.Server.Data;
using Yishi.Server.Inbox;

namespace Yishi.Server.Templates;

/// <summary>
/// Imports the templates shipped in <c>templates/&lt;key&gt;/&lt;locale&gt;.scriban</c> by content hash, by the
/// same rules as the shipped workflows: an absent one becomes version 1; one whose file changed, while the newest
/// version is still the shipped one, gets a new version; one that staff rewrote here is left alone, with a log
/// line and a notice to the designers. A file that does not parse is reported with its line and column and skipped.
/// </summary>
internal sealed partial class ShippedTemplates(ServerDbContext db, Notices notices, TimeProvider clock, ILogger<ShippedTemplates> logger)
{
    public const string Shipped = "shipped";
    public const string Staff = "staff";
    private const string Extension = ".scriban";

    public async Task ImportAsync(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            LogNoFolder(logger, folder);
            return;
        }

        var owner = await db.RootOrgUnitIdAsync(cancellationToken);
        foreach (var file in Directory.EnumerateFiles(folder, "*" + Extension, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            var key = Path.GetDirectoryName(relative)?.Replace('\\', '/') ?? "";
            var locale = Path.GetFileNameWithoutExtension(file);
            if (!TemplateKeys.IsValid(key) || !LocalePattern().IsMatch(locale))
            {
                LogBadName(logger, relative);
                continue;
            }

            var text = await File.ReadAllTextAsync(file, cancellationToken);
            if (MessageTemplate.Parse(text).Errors.Where(e => e.Severity == TemplateError.Error).ToList() is { Count: > 0 } errors)
            {
                LogInvalid(logger, relative, string.Join("; ", errors.Select(e => $"templates/{relative}{e}")));
                continue;
            }

            var hash = DefinitionCatalog.Hash(text);
            var latest = await db.Templates.AsNoTracking().Where(t => t.Key == key && t.Locale == locale).OrderByDescending(t => t.Version).FirstOrDefaultAsync(cancellationToken);
            if (latest?.ContentHash == hash)
            {
                continue;
            }

            if (latest is { Source: Staff })
            {
                LogEditedByStaff(logger, key, locale);
                await notices.SendToRoleOverAsync(Identity.Roles.Designer, owner, Kept(relative, hash), cancellationToken);
                continue;
            }

            var version = (latest?.Version ?? 0) + 1;
            db.Templates.Add(new TemplateVersion { Key = key, Locale = locale, Version = version, Text = text, ContentHash = hash, Source = Shipped, CreatedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
            LogImported(logger, key, locale, version);
        }
    }

    private static Notice Kept(string relative, string hash) => new(
        "shipped-template-kept",
        $"shipped-template-kept:{relative}:{hash}",
        $"内置模板 {relative} 有新版本，未自动更新",
        $"A new version of the shipped template {relative} was not applied",
        $"本地已修改模板 {relative}，所以随系统发布的新文件 templates/{relative} 没有覆盖你们的版本。请对比两者，需要时合并修改。",
        $"The template {relative} was edited here, so the newer shipped file templates/{relative} did not replace your version. Compare the two and merge the changes if you want them.",
        null);

    /// <summary>Whether a text is a locale (<c>zh-CN</c>, <c>en</c>).</summary>
    public static bool IsLocale(string? locale) => locale is not null && LocalePattern().IsMatch(locale);

    [GeneratedRegex(@"^[a-z]{2}(-[A-Z]{2})?$")]
    private static partial Regex LocalePattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported template {Key} ({Locale}) as version {Version}")]
    private static partial void LogImported(ILogger logger, string key, string locale, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shipped template {Key} ({Locale}) changed, but staff have edited it here: left alone")]
    private static partial void LogEditedByStaff(ILogger logger, string key, string locale);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shipped template {File} does not parse and was not imported: {Errors}")]
    private static partial void LogInvalid(ILogger logger, string file, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "templates/{File} is not named <key>/<locale>.scriban (e.g. mediation/accepted/zh-CN.scriban); skipped")]
    private static partial void LogBadName(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "No templates folder at {Folder}; nothing to import")]
    private static partial void LogNoFolder(ILogger logger, string folder);
}
