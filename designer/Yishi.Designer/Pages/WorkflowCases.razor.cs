using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Yishi.Designer.Api;

namespace Yishi.Designer.Pages;

/// <summary>
/// A workflow's cases, and moving the open ones to a newer published version: a dry run first (nothing changes), then
/// the move of those that can. Activities renamed in the new version are mapped by hand, one select per activity the
/// dry run could not place; changing the target, the cases or the map asks for a new dry run before moving.
/// </summary>
public sealed partial class WorkflowCases
{
    [Parameter]
    public string DefinitionId { get; set; } = "";

    private IReadOnlyList<InstanceRow>? Cases { get; set; }

    private IReadOnlyList<VersionRow> Published { get; set; } = [];

    private HashSet<string> Selected { get; } = new(StringComparer.Ordinal);

    private int Target { get; set; }

    private IReadOnlyList<string> TargetActivities { get; set; } = [];

    /// <summary>Old activity id → new one; an empty value maps to nothing (the dry run then says what that costs).</summary>
    private SortedDictionary<string, string> Map { get; } = new(StringComparer.Ordinal);

    private MigrationAnswer? Plan { get; set; }

    /// <summary>Whether <see cref="Plan"/> is a migration's answer rather than a dry run's.</summary>
    private bool Done { get; set; }

    /// <summary>The target, cases and map the dry run was for: the move is allowed only for exactly those.</summary>
    private string? PlannedFor { get; set; }

    private string? Error { get; set; }

    private bool Busy { get; set; }

    private bool CanMigrate => !Done && Plan is { } plan && PlannedFor == Request() && plan.Cases.Any(c => c.CanMigrate);

    protected override async Task OnInitializedAsync()
    {
        var versions = await Api.VersionsAsync(DefinitionId, CancellationToken.None);
        Published = [.. versions.Where(v => v.Status == "Published").OrderByDescending(v => v.Version)];
        await LoadCasesAsync();
        await ChooseTargetAsync(Published.Count > 0 ? Published[0].Version.ToString(CultureInfo.InvariantCulture) : null);
    }

    private async Task LoadCasesAsync()
    {
        Cases = await Api.InstancesAsync(DefinitionId, CancellationToken.None);
        Selected.IntersectWith(Cases.Where(IsOpen).Select(c => c.Id));
    }

    private static bool IsOpen(InstanceRow row) => row.Status is not ("Completed" or "Cancelled");

    private void Select(string id, bool on)
    {
        if (on)
        {
            Selected.Add(id);
        }
        else
        {
            Selected.Remove(id);
        }
    }

    /// <summary>A new target: the open cases on older versions are chosen, and the target's activities offered for the map.</summary>
    private async Task ChooseTargetAsync(object? value)
    {
        if (!int.TryParse(value as string, NumberStyles.Integer, CultureInfo.InvariantCulture, out var target))
        {
            return;
        }

        Target = target;
        Map.Clear();
        Selected.Clear();
        Selected.UnionWith(Cases?.Where(c => IsOpen(c) && c.DefinitionVersion < target).Select(c => c.Id) ?? []);
        var definition = (await Api.GetVersionAsync(DefinitionId, target, CancellationToken.None)).Value?.Definition;
        TargetActivities = [.. (definition?["activities"] as JsonArray ?? []).OfType<JsonObject>().Select(a => a["id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    private void SetMap(string from, object? to) => Map[from] = to as string ?? "";

    private string Request() => $"{Target}|{string.Join(",", Selected.Order(StringComparer.Ordinal))}|{string.Join(",", Map.Select(m => $"{m.Key}>{m.Value}"))}";

    private Dictionary<string, string> ChosenMap() => Map.Where(m => m.Value.Length > 0).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);

    private async Task DryRunAsync()
    {
        await RunAsync(() => Api.PlanMigrationAsync(DefinitionId, Target, [.. Selected], ChosenMap(), CancellationToken.None), done: false);
        // Every activity the dry run could not place gets a select, so a renamed one can be mapped by hand.
        foreach (var id in Plan?.Cases.SelectMany(c => c.Problems).Select(p => p.ActivityId).OfType<string>() ?? [])
        {
            if (!Map.ContainsKey(id) && !TargetActivities.Contains(id))
            {
                Map[id] = "";
            }
        }

        PlannedFor = Request();
    }

    private async Task MigrateAsync()
    {
        await RunAsync(() => Api.MigrateAsync(DefinitionId, Target, [.. Selected.Where(id => Plan!.Cases.Any(c => c.InstanceId == id && c.CanMigrate))], ChosenMap(),
            CancellationToken.None), done: true);
        await LoadCasesAsync();
    }

    private async Task RunAsync(Func<Task<ApiResult<MigrationAnswer>>> call, bool done)
    {
        Busy = true;
        Error = null;
        try
        {
            var answer = await call();
            Plan = answer.Value;
            Done = done && answer.Value is not null;
            Error = answer.Refusal?.Describe();
        }
        finally
        {
            Busy = false;
        }
    }

    private string NameOf(MigrationPlacement at) => at.Name switch
    {
        JsonObject names => names[Text.Locale]?.GetValue<string>() ?? names["zh-CN"]?.GetValue<string>() ?? at.To,
        JsonValue name => name.ToString(),
        _ => at.To,
    };

    private string WaitText(string wait) => wait switch
    {
        "task" => Text.T("任务", "task"),
        "timer" => Text.T("计时器", "timer"),
        "message" => Text.T("等待消息", "waiting for a message"),
        "sub-workflow" => Text.T("子流程", "sub-workflow"),
        "ballot" => Text.T("表决", "ballot"),
        "consultation" => Text.T("征求意见", "consultation"),
        "cosign" => Text.T("联名", "co-signing"),
        "join" => Text.T("汇合", "join"),
        "incident" => Text.T("故障", "incident"),
        _ => wait,
    };
}
