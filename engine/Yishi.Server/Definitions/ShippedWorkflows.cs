using Yishi.Engine.Definitions;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;

namespace Yishi.Server.Definitions;

/// <summary>
/// Imports the definitions shipped in <c>workflows/</c> by content hash: an absent one is imported and published;
/// one whose file changed since its last import, and that staff have not edited since, is published as a new
/// version; one that staff edited is left alone, with a log line and a notice in the inbox of the designers who
/// own it. A published version is never overwritten.
/// </summary>
internal sealed partial class ShippedWorkflows(WorkflowRuntime runtime, IWorkflowStore store, ServerDbContext db, Inbox.Notices notices, ILogger<ShippedWorkflows> logger)
{
    public async Task ImportAsync(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            LogNoFolder(logger, folder);
            return;
        }

        var owner = await db.RootOrgUnitIdAsync(cancellationToken);
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var json = await File.ReadAllTextAsync(file, cancellationToken);
            var (definition, problems) = runtime.Definitions.Check(json);
            if (definition is null || problems.Any(p => p.IsError))
            {
                LogInvalid(logger, Path.GetFileName(file), string.Join("; ", problems.Where(p => p.IsError)));
                continue;
            }

            var hash = DefinitionCatalog.Hash(json);
            var ownership = await db.DefinitionOwnerships.FindAsync([definition.DefinitionId], cancellationToken);
            var versions = await store.ListVersionsAsync(definition.DefinitionId, cancellationToken);
            if (ownership?.ImportedHash == hash)
            {
                continue;
            }

            if (versions.Count > 0 && (ownership?.ImportedHash is null || versions[^1].Version != ownership.ImportedVersion || versions[^1].ContentHash != ownership.ImportedHash))
            {
                // Someone made or changed this definition here: their work wins over the shipped file.
                LogEditedByStaff(logger, definition.DefinitionId, Path.GetFileName(file));
                await notices.SendToRoleOverAsync(Identity.Roles.Designer, ownership?.OrgUnitId ?? owner, Kept(definition, Path.GetFileName(file), hash), cancellationToken);
                continue;
            }

            var published = await runtime.Definitions.PublishDocumentAsync(json, cancellationToken);
            if (!published.Succeeded)
            {
                LogInvalid(logger, Path.GetFileName(file), string.Join("; ", published.Problems.Where(p => p.IsError)));
                continue;
            }

            if (ownership is null)
            {
                db.DefinitionOwnerships.Add(new DefinitionOwnership { DefinitionId = definition.DefinitionId, OrgUnitId = owner, ImportedHash = hash, ImportedVersion = published.Version!.Version });
            }
            else
            {
                ownership.ImportedHash = hash;
                ownership.ImportedVersion = published.Version!.Version;
            }

            await db.SaveChangesAsync(cancellationToken);
            LogImported(logger, definition.DefinitionId, published.Version!.Version);
        }
    }

    /// <summary>One notice per shipped file content: a restart does not repeat it, a newer shipped file does.</summary>
    private static Inbox.Notice Kept(WorkflowDefinition definition, string file, string hash) => new(
        "shipped-workflow-kept",
        $"shipped-workflow-kept:{definition.DefinitionId}:{hash}",
        $"内置流程“{definition.Name.Get("zh-CN")}”有新版本，未自动更新",
        $"A new version of the shipped workflow “{definition.Name.Get("en")}” was not applied",
        $"本地已修改流程 {definition.DefinitionId}，所以随系统发布的新文件 workflows/{file} 没有覆盖你们的版本。请对比两者，需要时在设计器中合并修改并发布。",
        $"Workflow {definition.DefinitionId} was edited here, so the newer shipped file workflows/{file} did not replace your version. Compare the two and merge the changes in the designer if you want them.",
        $"/api/definitions/{definition.DefinitionId}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported and published workflow {DefinitionId} v{Version}")]
    private static partial void LogImported(ILogger logger, string definitionId, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shipped workflow {DefinitionId} ({File}) changed, but staff have edited it here: left alone")]
    private static partial void LogEditedByStaff(ILogger logger, string definitionId, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shipped workflow file {File} is not valid and was not imported: {Problems}")]
    private static partial void LogInvalid(ILogger logger, string file, string problems);

    [LoggerMessage(Level = LogLevel.Information, Message = "No workflows folder at {Folder}; nothing to import")]
    private static partial void LogNoFolder(ILogger logger, string folder);
}
