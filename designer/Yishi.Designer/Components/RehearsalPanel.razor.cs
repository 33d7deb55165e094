using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Yishi.Designer.Api;
using Yishi.Designer.Canvas;

namespace Yishi.Designer.Components;

/// <summary>
/// The rehearsal side panel: starts the saved draft with sample values, then lets a designer act as each role
/// (complete a task with its form and outcome, or settle what the server would answer: a ballot, a co-signing, a
/// message), move the rehearsal's own clock on, and read the messages that would have gone out and what happened.
/// Every answer is handed to the editor, which lights the path on the canvas.
/// </summary>
public sealed partial class RehearsalPanel : IAsyncDisposable
{
    private readonly Dictionary<(string Wait, string Field), string> _form = [];

    [Inject]
    private DesignerApi Api { get; set; } = default!;

    [Parameter, EditorRequired]
    public string DefinitionId { get; set; } = "";

    /// <summary>The definition being rehearsed, as saved: its variables, names, forms and outcomes.</summary>
    [Parameter, EditorRequired]
    public JsonObject Definition { get; set; } = [];

    [Parameter, EditorRequired]
    public IReadOnlyList<ActivityType> Types { get; set; } = [];

    /// <summary>Each new state of the rehearsal (null once it ends).</summary>
    [Parameter]
    public EventCallback<RehearsalRun?> OnRun { get; set; }

    [Parameter]
    public EventCallback OnClose { get; set; }

    private RehearsalRun? Run { get; set; }

    private string? Error { get; set; }

    private bool Busy { get; set; }

    private string ActAs { get; set; } = "";

    private Dictionary<string, string> Sample { get; } = new(StringComparer.Ordinal);

    private sealed record Variable(string Name, string Type, bool Required);

    private List<Variable> Variables { get; set; } = [];

    private IEnumerable<string> Roles => Run?.Waiting.Where(w => w.Role is not null).Select(w => w.Role!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>();

    /// <summary>People's tasks for the role acted as; everything else (timers, ballots, messages) whoever is acted as.</summary>
    private IEnumerable<RehearsalWait> Visible => Run?.Waiting.Where(w => ActAs.Length == 0 || w.Kind != "HumanTask" || w.Role == ActAs) ?? [];

    protected override void OnParametersSet()
    {
        Variables = [.. (Definition["variables"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(v => new Variable(v["name"]?.GetValue<string>() ?? "", v["type"]?.GetValue<string>() ?? "string", v["required"]?.GetValue<bool>() ?? false))
            .Where(v => v.Name.Length > 0)];
        foreach (var variable in Variables.Where(v => !Sample.ContainsKey(v.Name)))
        {
            var declared = (Definition["variables"] as JsonArray)!.OfType<JsonObject>().First(v => v["name"]?.GetValue<string>() == variable.Name)["default"];
            Sample[variable.Name] = declared is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>()
                : declared?.ToJsonString() ?? SampleOf(variable);
        }
    }

    /// <summary>A value of the right kind, so a rehearsal starts without typing; personal-looking names get obviously fake values.</summary>
    private static string SampleOf(Variable variable) => variable.Type.ToLowerInvariant() switch
    {
        "number" => "1",
        "boolean" => "false",
        "datetime" => "2026-12-01T09:00:00+08:00",
        "object" => "{}",
        "array" => "[]",
        _ when variable.Name.Contains("phone", StringComparison.OrdinalIgnoreCase) => "13800000000",
        _ => $"示例{variable.Name}",
    };

    private void SetSample(string name, object? value) => Sample[name] = value as string ?? "";

    private async Task StartAsync()
    {
        var input = new JsonObject();
        foreach (var variable in Variables)
        {
            if (Sample.GetValueOrDefault(variable.Name) is { Length: > 0 } text)
            {
                input[variable.Name] = Parse(variable.Type, text);
            }
        }

        await SendAsync(() => Api.StartRehearsalAsync(DefinitionId, input, Text.Locale, CancellationToken.None));
    }

    /// <summary>Numbers, booleans and JSON as such; anything else (and anything that does not parse) as text, for the engine to judge.</summary>
    private static JsonNode? Parse(string type, string text)
    {
        if (type is "string")
        {
            return JsonValue.Create(text);
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    private Task AdvanceAsync(JsonNode by) => SendAsync(() => Api.AdvanceRehearsalAsync(Run!.Id, by, Text.Locale, CancellationToken.None));

    private Task JumpToAsync(RehearsalWait timer)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling((timer.DueAt!.Value - Run!.Now).TotalSeconds));
        return AdvanceAsync(JsonValue.Create($"PT{seconds.ToString(CultureInfo.InvariantCulture)}S"));
    }

    private Task SettleAsync(RehearsalWait wait, string outcome)
    {
        JsonObject? data = null;
        if (wait.Kind == "HumanTask")
        {
            data = [];
            foreach (var field in FormOf(wait))
            {
                var name = field["name"]?.GetValue<string>() ?? "";
                if (FieldValue(wait, name) is { Length: > 0 } value)
                {
                    data[name] = field["type"]?.GetValue<string>() switch
                    {
                        "number" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(value),
                        "boolean" => JsonValue.Create(value == "true"),
                        _ => JsonValue.Create(value),
                    };
                }
            }
        }

        return SendAsync(() => Api.SettleAsync(Run!.Id, wait.Id, outcome == "done" && wait.Kind == "Message" ? null : outcome, data, Text.Locale, CancellationToken.None));
    }

    private async Task SendAsync(Func<Task<ApiResult<RehearsalRun>>> call)
    {
        Busy = true;
        Error = null;
        try
        {
            var answer = await call();
            if (answer.Value is { } run)
            {
                Run = run;
                await OnRun.InvokeAsync(run);
            }
            else
            {
                Error = answer.Refusal!.Describe();
            }
        }
        finally
        {
            Busy = false;
        }
    }

    private async Task CloseAsync()
    {
        await EndAsync();
        await OnRun.InvokeAsync(null);
        await OnClose.InvokeAsync();
    }

    private async Task EndAsync()
    {
        if (Run is { } run)
        {
            Run = null;
            await Api.EndRehearsalAsync(run.Id, CancellationToken.None);
        }
    }

    private JsonObject? ActivityOf(string id) => (Definition["activities"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(a => a["id"]?.GetValue<string>() == id);

    private string NameOf(string activityId) => CanvasModel.LabelOf(Definition, activityId, Types, Text.Locale);

    private IEnumerable<JsonObject> FormOf(RehearsalWait wait) =>
        wait.Kind == "HumanTask" && ActivityOf(wait.ActivityId)?["properties"]?["form"] is JsonArray form ? form.OfType<JsonObject>() : [];

    private IReadOnlyList<string> OutcomesOf(RehearsalWait wait)
    {
        if (wait.Details?["outcomes"] is JsonArray offered && offered.Count > 0)
        {
            return [.. offered.Select(o => o?.GetValue<string>() ?? "").Where(o => o.Length > 0)];
        }

        var activity = ActivityOf(wait.ActivityId);
        return activity is null ? ["done"] : WorkflowDocument.Outcomes(activity, Types.FirstOrDefault(t => t.Type == activity["type"]?.GetValue<string>()));
    }

    /// <summary>What a field holds; required fields start with a sample, so an outcome can be chosen at once.</summary>
    private string FieldValue(RehearsalWait wait, string name)
    {
        if (_form.TryGetValue((wait.Id, name), out var value))
        {
            return value;
        }

        var field = FormOf(wait).FirstOrDefault(f => f["name"]?.GetValue<string>() == name);
        var sample = field?["type"]?.GetValue<string>() switch
        {
            "attachment" => "rehearsal-sample.pdf",
            _ when field?["required"]?.GetValue<bool>() != true => "",
            "number" => (field["min"] is JsonValue min ? min.ToJsonString() : "1"),
            "date" => Run!.Now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "choice" => (field["options"] as JsonArray)?.FirstOrDefault()?.GetValue<string>() ?? "",
            "boolean" => "true",
            _ => Text.T("示例", "Sample"),
        };
        _form[(wait.Id, name)] = sample;
        return sample;
    }

    private void SetField(RehearsalWait wait, string name, object? value) => _form[(wait.Id, name)] = value as string ?? "";

    private void SetFlag(RehearsalWait wait, string name, object? value) => _form[(wait.Id, name)] = value is true ? "true" : "false";

    private string FieldLabel(JsonObject field) =>
        (field["label"] switch
        {
            JsonObject names => names[Text.Locale]?.GetValue<string>() ?? names["zh-CN"]?.GetValue<string>(),
            JsonValue label => label.GetValue<string>(),
            _ => null,
        } ?? field["name"]?.GetValue<string>() ?? "") + (field["required"]?.GetValue<bool>() == true ? " *" : "");

    private static string InputType(JsonObject field) => field["type"]?.GetValue<string>() switch
    {
        "number" => "number",
        "date" => "date",
        _ => "text",
    };

    private string StatusText(string status) => RunStatus.Describe(Text, status);

    private string WaitText(RehearsalWait wait) => wait.Kind switch
    {
        "HumanTask" => Text.T($"任务，给 {wait.Role ?? wait.UserId}", $"task for {wait.Role ?? wait.UserId}"),
        "Timer" => Text.T("计时器", "timer"),
        "Message" => Text.T("等待外部消息", "waiting for a message"),
        "Ballot" => Text.T("表决进行中（由服务器计票）", "ballot open (the server counts it)"),
        "Consultation" => Text.T("征求意见中", "consultation open"),
        "Cosign" => Text.T("联名征集中", "collecting co-signatures"),
        "SubWorkflow" => Text.T("子流程进行中", "sub-workflow running"),
        _ => wait.Kind,
    };

    private string MessageKind(string kind) => kind switch
    {
        "deadline" => Text.T("期限提醒", "deadline warning"),
        "document" => Text.T("文书", "document"),
        _ => Text.T("通知", "notification"),
    };

    /// <summary>Recipients as the step names them: a role, the parties, the residents; a rehearsal has no real people.</summary>
    private string Recipients(JsonArray to) => string.Join("、", to.OfType<JsonObject>().SelectMany(o => o).Select(p => (p.Key, Value: p.Value?.ToString() ?? "") switch
    {
        ("role", var role) => Text.T($"角色 {role}", $"role {role}"),
        ("parties", "*") => Text.T("全部当事人", "every party"),
        ("parties", var party) => Text.T($"当事人 {party}", $"party {party}"),
        ("residents", _) => Text.T("辖区居民", "the unit's residents"),
        ("electorate", _) => Text.T("有表决权的人", "the electorate"),
        ("notVoted", _) => Text.T("尚未投票的人", "those who have not voted"),
        ("participants", var step) => Text.T($"{step} 的参与者", $"participants of {step}"),
        ("variable", var name) => Text.T($"变量 {name} 中的人", $"the person in {name}"),
        ("user", _) => Text.T("指定用户", "a named user"),
        var (key, value) => $"{key} {value}",
    }));

    public async ValueTask DisposeAsync() => await EndAsync();
}
