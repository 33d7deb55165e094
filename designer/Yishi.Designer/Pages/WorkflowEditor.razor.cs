using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;
using Yishi.Designer.Api;
using Yishi.Designer.Canvas;

namespace Yishi.Designer.Pages;

/// <summary>
/// The editor of one workflow: palette, canvas, properties and problems. The document lives here, on the server side
/// of the circuit; the canvas in the browser draws it and reports finished gestures. Every change is checked by the
/// server's validator (debounced) and saved as a draft a moment later, with the ETag of the version it started from,
/// so a second editor's save is detected instead of overwritten.
/// </summary>
public sealed partial class WorkflowEditor
{
    /// <summary>How long after the last change the draft is checked and saved.</summary>
    public static readonly TimeSpan AutosaveDelay = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan ValidateDelay = TimeSpan.FromMilliseconds(300);

    private IJSObjectReference? _canvas;
    private DotNetObjectReference<WorkflowEditor>? _self;
    private IReadOnlyList<ActivityType> _types = [];
    private CancellationTokenSource? _pending;
    private string? _clipboard;
    private bool _rendered;

    [Parameter]
    public string DefinitionId { get; set; } = "";

    private WorkflowDocument? Document { get; set; }

    private EditedDefinition? Edited { get; set; }

    private string? LoadError { get; set; }

    private string? Message { get; set; }

    private Severity MessageSeverity { get; set; } = Severity.Info;

    private IReadOnlyList<Problem> Problems { get; set; } = [];

    private string PaletteSearch { get; set; } = "";

    private Dictionary<string, ElementReference> PaletteRefs { get; } = new(StringComparer.Ordinal);

    private ElementReference CanvasHost { get; set; }

    private IReadOnlyList<string> SelectedNodes { get; set; } = [];

    private IReadOnlyList<string> SelectedEdges { get; set; } = [];

    private bool Saving { get; set; }

    /// <summary>Whether the publish box (with its change note) is open.</summary>
    private bool Publishing { get; set; }

    private string PublishNote { get; set; } = "";

    /// <summary>The saved definition a rehearsal runs, while the rehearsal panel is open.</summary>
    private JsonObject? Rehearsing { get; set; }

    /// <summary>The way the rehearsal went, lit on the canvas.</summary>
    private RunPath Path { get; set; } = RunPath.None;

    /// <summary>Whether the server has checked the document as it now stands (for the page's readers and tests).</summary>
    private bool Checked { get; set; }

    private string SaveState { get; set; } = "";

    private int Errors => Problems.Count(p => p.IsError);

    private int Warnings => Problems.Count(p => !p.IsError);

    private string Title => Document is null ? DefinitionId : WorkflowName(Text.Locale) ?? DefinitionId;

    private JsonObject? SelectedActivity => SelectedNodes.Count == 1 ? Document?.Activity(SelectedNodes[0]) : null;

    private IEnumerable<IGrouping<string, ActivityType>> Palette =>
        _types.Where(t => t.Type != "Start")
            .Where(t => PaletteSearch.Length == 0 || t.Type.Contains(PaletteSearch, StringComparison.OrdinalIgnoreCase)
                        || t.DisplayName.Get(Text.Locale).Contains(PaletteSearch, StringComparison.OrdinalIgnoreCase))
            .GroupBy(t => t.Category);

    protected override async Task OnInitializedAsync()
    {
        Text.Changed += OnLanguage;
        // Both at once; the check of the whole document follows the first drawing instead of delaying it.
        var types = Api.ActivitiesAsync(CancellationToken.None);
        var found = await Api.GetAsync(DefinitionId, CancellationToken.None);
        _types = await types;
        if (found.Value is not { } edited)
        {
            LoadError = $"{found.Refusal!.Title} {found.Refusal.Detail}";
            return;
        }

        Open(edited);
        Problems = edited.Problems;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The document may be loaded while the render that ran was still the loading bar: wait for the canvas's element.
        if (Document is null || _rendered || string.IsNullOrEmpty(CanvasHost.Id))
        {
            return;
        }

        _rendered = true;
        _self = DotNetObjectReference.Create(this);
        _canvas = await JS.InvokeAsync<IJSObjectReference>("import", "./_content/Yishi.Designer/canvas.js");
        await _canvas.InvokeVoidAsync("create", CanvasHost, _self);
        foreach (var (type, item) in PaletteRefs)
        {
            await _canvas.InvokeVoidAsync("paletteItem", item, type);
        }

        await DrawAsync();
        Problems = await Api.ValidateAsync(Document.ToJson(), CancellationToken.None);
        Checked = true;
        StateHasChanged();
        await DrawAsync();
    }

    private void Open(EditedDefinition edited)
    {
        if (Document is not null)
        {
            Document.Changed -= OnChanged;
        }

        Edited = edited;
        Document = new WorkflowDocument(edited.Definition);
        Document.Changed += OnChanged;
    }

    private ActivityType? TypeOf(JsonObject activity) => _types.FirstOrDefault(t => t.Type == activity["type"]?.GetValue<string>());

    private static string IdOf(JsonObject activity) => activity["id"]!.GetValue<string>();

    private static JsonNode? PropertyOf(JsonObject activity, PropertyType property) => activity["properties"]?[property.Name];

    private static string Key(JsonObject activity, PropertyType property) => $"{IdOf(activity)}/{property.Name}";

    private IReadOnlyList<Problem> ProblemsOf(JsonObject activity, string property) =>
        [.. Problems.Where(p => p.ActivityId == IdOf(activity) && p.Property == property)];

    private string CategoryName(string category) => category switch
    {
        "Flow" => Text.T("流程控制", "Flow"),
        "People" => Text.T("人工任务", "People"),
        "Time" => Text.T("时间", "Time"),
        "Data" => Text.T("数据", "Data"),
        "Messages" => Text.T("通知与文书", "Messages"),
        "Participation" => Text.T("居民参与", "Participation"),
        _ => category,
    };

    private string AddLabel(ActivityType type) => $"{Text.T("添加", "Add")} {type.DisplayName.Get(Text.Locale)}";

    private string? WorkflowName(string locale) => Document?.Root["name"] switch
    {
        JsonObject names => names[locale]?.GetValue<string>(),
        JsonValue name => name.GetValue<string>(),
        _ => null,
    };

    private void SetDisplayName(JsonObject activity, string? text)
    {
        var names = activity["displayName"] is JsonObject o ? (JsonObject)o.DeepClone() : [];
        if (string.IsNullOrWhiteSpace(text))
        {
            names.Remove("zh-CN");
        }
        else
        {
            names["zh-CN"] = text;
        }

        Document!.SetActivityField(IdOf(activity), "displayName", names.Count > 0 ? names : null);
    }

    private void SetWorkflowName(string locale, string? text)
    {
        var names = Document!.Root["name"] switch
        {
            JsonObject o => (JsonObject)o.DeepClone(),
            JsonValue v => new JsonObject { ["zh-CN"] = v.GetValue<string>() },
            _ => new JsonObject(),
        };
        names[locale] = text ?? "";
        Document.SetField("name", names);
    }

    private void SetProperty(JsonObject activity, PropertyType property, JsonNode? value) => Document!.SetProperty(IdOf(activity), property.Name, value);

    private async Task AddFromKeyboard(KeyboardEventArgs e, ActivityType type)
    {
        if (e.Key is "Enter" or " ")
        {
            // Without a mouse: add it beside the rightmost activity, selected, so the properties panel opens on it.
            var right = Document!.Layout.Select(p => JsonNumbers.Read(p.Value?["x"]) ?? 0).DefaultIfEmpty(0).Max();
            var id = Document.Add(type, right + 220, 120);
            SelectedNodes = [id];
            await DrawAsync();
        }
    }

    private void DeleteSelected()
    {
        Document!.Delete([.. SelectedNodes.Where(id => Document.Activity(id)?["type"]?.GetValue<string>() != "Start")], [.. SelectedEdges]);
        SelectedNodes = [];
        SelectedEdges = [];
    }

    [JSInvokable]
    public Task OnMoved(Move[] moves)
    {
        Document!.Move([.. moves.Select(m => (m.Id, m.X, m.Y))]);
        return Task.CompletedTask;
    }

    [JSInvokable]
    public Task OnConnect(string from, string outcome, string to)
    {
        Document!.Connect(from, outcome, to);
        return Task.CompletedTask;
    }

    [JSInvokable]
    public Task OnDrop(string type, double x, double y)
    {
        if (_types.FirstOrDefault(t => t.Type == type) is { } dropped)
        {
            SelectedNodes = [Document!.Add(dropped, x, y)];
            SelectedEdges = [];
        }

        return Task.CompletedTask;
    }

    [JSInvokable]
    public async Task OnSelect(string[] nodes, string[] edges)
    {
        SelectedNodes = nodes;
        SelectedEdges = edges;
        await InvokeAsync(StateHasChanged);
    }

    [JSInvokable]
    public Task OnKey(string key, bool ctrl, bool shift)
    {
        switch (key)
        {
            case "delete" or "backspace":
                DeleteSelected();
                break;
            case "z" when ctrl && !shift:
                Document!.Undo();
                break;
            case "y" when ctrl:
            case "z" when ctrl && shift:
                Document!.Redo();
                break;
            case "c" when ctrl:
                _clipboard = Document!.Copy([.. SelectedNodes]);
                break;
            case "v" when ctrl && _clipboard is not null:
                SelectedNodes = Document!.Paste(_clipboard);
                break;
        }

        return Task.CompletedTask;
    }

    /// <summary>The model the canvas draws: positions, labels, outcome ports, which activities have problems, and a rehearsal's path.</summary>
    private async Task DrawAsync()
    {
        if (_canvas is null || Document is null)
        {
            return;
        }

        var model = CanvasModel.Of(Document.Root, _types, Text.Locale).Lit(Path);
        model = model with
        {
            Nodes = [.. model.Nodes.Select(n => n with
            {
                Error = Problems.Any(p => p.IsError && p.ActivityId == n.Id),
                Warning = Problems.Any(p => !p.IsError && p.ActivityId == n.Id),
            })],
            Selected = SelectedNodes,
        };
        await _canvas.InvokeVoidAsync("render", CanvasHost, model);
    }

    /// <summary>Saves the draft (a rehearsal runs what is saved) and opens the rehearsal panel on it.</summary>
    private async Task RehearseAsync()
    {
        await SaveAsync();
        if (Document is { Dirty: false })
        {
            Rehearsing = (JsonObject)Document.Root.DeepClone();
        }
    }

    private async Task OnRehearsalAsync(RehearsalRun? run)
    {
        Path = run is null || Rehearsing is null
            ? RunPath.None
            : RunPath.Of(Rehearsing["connections"] as JsonArray ?? [], run.Journal, run.Waiting.Select(w => w.ActivityId));
        await DrawAsync();
    }

    private void OnChanged()
    {
        Checked = false;
        SaveState = Text.T("有未保存的修改", "Unsaved changes");
        _ = InvokeAsync(async () =>
        {
            StateHasChanged();
            await DrawAsync();
            await ScheduleAsync();
        });
    }

    /// <summary>Checks the document shortly after the last change and saves the draft a little later: typing does not save every key.</summary>
    private async Task ScheduleAsync()
    {
        _pending?.Cancel();
        _pending = new CancellationTokenSource();
        var token = _pending.Token;
        try
        {
            await Task.Delay(ValidateDelay, token);
            Problems = await Api.ValidateAsync(Document!.ToJson(), token);
            Checked = true;
            StateHasChanged();
            await DrawAsync();
            await Task.Delay(AutosaveDelay - ValidateDelay, token);
            await SaveAsync();
        }
        catch (OperationCanceledException)
        {
            // A newer change came; it schedules its own check.
        }
    }

    private async Task SaveAsync()
    {
        if (Document is not { Dirty: true } || Saving)
        {
            return;
        }

        Saving = true;
        var saved = await Api.SaveDraftAsync(DefinitionId, Document.ToJson(), Edited!.ETag, CancellationToken.None);
        Saving = false;
        if (saved.Value is { } edited)
        {
            Edited = edited;
            Problems = edited.Problems;
            Document.MarkSaved();
            SaveState = Text.T($"草稿已保存（v{edited.Version}）", $"Draft saved (v{edited.Version})");
        }
        else if (DesignerApi.IsEditedMeanwhile(saved.Refusal!))
        {
            Show(Severity.Error, Text.T("其他人已经保存了这个流程的新版本。您的修改没有覆盖它：请复制您的修改后重新打开此页。",
                "Someone else saved this workflow meanwhile. Your changes did not overwrite theirs: copy what you changed and reopen this page."));
            SaveState = Text.T("未保存：有冲突", "Not saved: conflict");
        }
        else
        {
            Show(Severity.Error, saved.Refusal!.Describe());
        }

        StateHasChanged();
        await DrawAsync();
    }

    private async Task PublishAsync()
    {
        await SaveAsync();
        if (Document!.Dirty)
        {
            return;
        }

        var published = await Api.PublishAsync(DefinitionId, PublishNote, CancellationToken.None);
        if (published.Value is { } edited)
        {
            Edited = edited;
            Publishing = false;
            PublishNote = "";
            Show(Severity.Success, Text.T($"已发布 v{edited.Version}。新案件将使用这个版本。", $"Published v{edited.Version}. New cases use this version."));
        }
        else
        {
            Problems = published.Refusal!.Problems.Count > 0 ? published.Refusal.Problems : Problems;
            Show(Severity.Error, published.Refusal.Describe());
        }

        await DrawAsync();
    }

    private async Task RevealAsync(string? activityId)
    {
        if (activityId is not null && _canvas is not null)
        {
            SelectedNodes = [activityId];
            await _canvas.InvokeVoidAsync("reveal", CanvasHost, activityId);
        }
    }

    private Task RevealOnEnterAsync(KeyboardEventArgs e, string? activityId) => e.Key == "Enter" ? RevealAsync(activityId) : Task.CompletedTask;

    private async Task ZoomAsync(int direction)
    {
        if (_canvas is not null)
        {
            await _canvas.InvokeVoidAsync("zoom", CanvasHost, direction);
        }
    }

    private void Show(Severity severity, string message)
    {
        MessageSeverity = severity;
        Message = message;
    }

    private void OnLanguage() => _ = InvokeAsync(async () =>
    {
        StateHasChanged();
        await DrawAsync();
    });

    public async ValueTask DisposeAsync()
    {
        Text.Changed -= OnLanguage;
        _pending?.Cancel();
        _pending?.Dispose();
        if (_canvas is not null)
        {
            try
            {
                await _canvas.InvokeVoidAsync("dispose", CanvasHost);
                await _canvas.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser left; nothing to clean up there.
            }
        }

        _self?.Dispose();
    }

    /// <summary>An activity dropped at a canvas position.</summary>
    public sealed record Move(string Id, double X, double Y);
}
