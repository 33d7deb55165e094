using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Engine.Definitions;
using Yishi.Engine.Notifications.Templates;
using Yishi.Engine.Persistence;
using Yishi.Server.Data;
using Yishi.Server.OrgUnits;
using Yishi.Server.Timers;

namespace Yishi.Server.Notifications;

/// <summary>What templates know about a case besides its variables: its unit and workflow, read once for many renderings.</summary>
/// <param name="InstanceId">The case.</param>
/// <param name="Scope">Its org unit's path.</param>
/// <param name="DefinitionId">Its workflow.</param>
/// <param name="Unit">Its org unit, if it still exists.</param>
/// <param name="Workflow">The workflow version's name.</param>
internal sealed record CaseFacts(string? InstanceId, string? Scope, string DefinitionId, OrgUnit? Unit, LocalizedText? Workflow);

/// <summary>
/// Builds what a template of a case reads (<c>instance</c>, <c>org</c>, <c>links</c>, the zone and the calendar) the
/// same way for a message and for a document, so both print the same community name, workflow name and links.
/// Published versions' names and org units are read once per process: neither changes.
/// </summary>
internal sealed class CaseTemplateData(IWorkflowStore store, IServiceScopeFactory scopes, OrgCalendars calendars, IOptions<NotificationOptions> options)
{
    private readonly ConcurrentDictionary<(string, int), LocalizedText?> _workflows = new();
    private readonly ConcurrentDictionary<string, OrgUnit> _units = new(StringComparer.Ordinal);

    /// <summary>Reads what every rendering for this case shares.</summary>
    public async Task<CaseFacts> FactsAsync(string? instanceId, string? scope, string definitionId, int definitionVersion, CancellationToken cancellationToken) =>
        new(instanceId, scope, definitionId, await UnitAsync(OrgUnitDirectory.IdOf(scope) ?? "", cancellationToken),
            await WorkflowAsync(definitionId, definitionVersion, cancellationToken));

    /// <summary>The data of one rendering in <paramref name="locale"/>.</summary>
    public TemplateData For(CaseFacts facts, JsonObject variables, DateTimeOffset at, string locale)
    {
        var site = options.Value.PublicUrl.TrimEnd('/');
        var english = locale.StartsWith("en", StringComparison.Ordinal);
        return new TemplateData(variables, at)
        {
            Instance = new JsonObject { ["id"] = facts.InstanceId, ["no"] = facts.InstanceId, ["workflow"] = facts.Workflow?.Get(locale) ?? facts.DefinitionId },
            Org = new JsonObject { ["id"] = OrgUnitDirectory.IdOf(facts.Scope) ?? "", ["name"] = (english ? facts.Unit?.NameEn : facts.Unit?.Name) ?? "" },
            Links = new JsonObject { ["case"] = $"{site}/me/cases/{facts.InstanceId}", ["inbox"] = $"{site}/me/inbox", ["portal"] = $"{site}/me" },
            Zone = calendars.Base.Zone,
            Calendar = calendars.For(facts.Scope),
        };
    }

    private async Task<OrgUnit?> UnitAsync(string id, CancellationToken cancellationToken)
    {
        if (_units.TryGetValue(id, out var cached))
        {
            return cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        var unit = await scope.ServiceProvider.GetRequiredService<ServerDbContext>().OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (unit is not null)
        {
            _units[id] = unit;
        }

        return unit;
    }

    private async Task<LocalizedText?> WorkflowAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        if (_workflows.TryGetValue((definitionId, version), out var cached))
        {
            return cached;
        }

        LocalizedText? name = null;
        if (await store.FindDefinitionAsync(definitionId, version, cancellationToken) is { } definition)
        {
            using var document = JsonDocument.Parse(definition.Json);
            name = document.RootElement.TryGetProperty("name", out var value) ? value.Deserialize<LocalizedText>() : null;
            _workflows[(definitionId, version)] = name;
        }

        return name;
    }
}
