using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Definitions;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Privacy;
using Yishi.Server.Data;

namespace Yishi.Server.Workbench;

/// <summary>
/// What the workbench shows of cases beside their tasks, read for a whole page at once (one query per kind, not one per
/// row): the parties' masked names, the case files' risk, the org units' and assignees' names.
/// </summary>
internal sealed class CaseFacts
{
    /// <summary>Variables a workflow keeps a case's title in, the most specific first.</summary>
    private static readonly string[] TitleVariables = ["case_title", "caseTitle", "rule_title", "ballot_title", "title"];

    private CaseFacts(IReadOnlyDictionary<string, List<(string Name, string Masked)>> parties, IReadOnlyDictionary<string, (string? Risk, bool Escalation)> risks,
        IReadOnlyDictionary<string, (string Zh, string En)> units, IReadOnlyDictionary<string, string> names)
    {
        Parties = parties;
        Risks = risks;
        Units = units;
        Names = names;
    }

    /// <summary>Per case, its parties' full names (only ever matched against, never answered) and masked names.</summary>
    public IReadOnlyDictionary<string, List<(string Name, string Masked)>> Parties { get; }

    public IReadOnlyDictionary<string, (string? Risk, bool Escalation)> Risks { get; }

    public IReadOnlyDictionary<string, (string Zh, string En)> Units { get; }

    /// <summary>Assignees' display names by user id (unmasked: mask when showing).</summary>
    public IReadOnlyDictionary<string, string> Names { get; }

    public static async Task<CaseFacts> ReadAsync(IReadOnlyCollection<string> instanceIds, IReadOnlyCollection<string> userIds, ServerDbContext db,
        CancellationToken cancellationToken)
    {
        var ids = instanceIds.ToList();
        var people = userIds.ToList();
        var parties = await (from p in db.CaseParties.AsNoTracking()
                             where ids.Contains(p.InstanceId)
                             join u in db.Users on p.UserId equals u.Id into accounts
                             from u in accounts.DefaultIfEmpty()
                             select new { p.InstanceId, p.LinkedAt, p.Id, Name = p.Name ?? (u == null ? "" : u.DisplayName) })
            .ToListAsync(cancellationToken);
        var files = await db.CaseFiles.AsNoTracking().Where(f => ids.Contains(f.InstanceId))
            .Select(f => new { f.InstanceId, f.RiskLevel, f.EscalationRisk }).ToListAsync(cancellationToken);
        var units = await db.OrgUnits.AsNoTracking().Select(u => new { u.Id, u.Name, u.NameEn }).ToListAsync(cancellationToken);
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(cancellationToken);
        return new CaseFacts(
            parties.OrderBy(p => p.LinkedAt).ThenBy(p => p.Id, StringComparer.Ordinal).GroupBy(p => p.InstanceId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(p => (p.Name, Masking.Name(p.Name))).ToList(), StringComparer.Ordinal),
            files.ToDictionary(f => f.InstanceId, f => (f.RiskLevel, f.EscalationRisk), StringComparer.Ordinal),
            units.ToDictionary(u => u.Id, u => (u.Name, u.NameEn), StringComparer.Ordinal),
            names.ToDictionary(u => u.Id, u => u.DisplayName, StringComparer.Ordinal));
    }

    public string? UnitName(string? orgUnitId, bool en) => orgUnitId is not null && Units.TryGetValue(orgUnitId, out var unit) ? en ? unit.En : unit.Zh : orgUnitId;

    public string? MaskedName(string? userId) => userId is null ? null : Names.TryGetValue(userId, out var name) ? Masking.Name(name) : null;

    /// <summary>The case's title from its variables, or the workflow's name when it keeps none.</summary>
    public static string TitleOf(WorkflowInstance instance, WorkflowGraph? graph, string locale)
    {
        foreach (var name in TitleVariables)
        {
            if (instance.State.Variables[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } title)
            {
                return title;
            }
        }

        return graph?.Definition.Name.Get(locale) ?? instance.DefinitionId;
    }

    /// <summary>A localized text as stored in a definition or a task's payload (an object by locale, or a plain string).</summary>
    public static string? Localized(JsonNode? text, string locale) => text switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonObject o => (o[locale] ?? o[LocalizedText.DefaultLocale] ?? o.Select(p => p.Value).FirstOrDefault(v => v is not null))?.GetValue<string>(),
        _ => null,
    };

    /// <summary>A localized property of an activity definition.</summary>
    public static string? Localized(JsonElement? text, string locale) => text is { } element ? Localized(JsonNode.Parse(element.GetRawText()), locale) : null;
}
