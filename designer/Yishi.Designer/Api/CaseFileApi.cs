using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Api;

/// <summary>
/// The workbench's case file and what surrounds it — details, records, attachments, documents, sessions, extensions,
/// paper ballots — as a client of the server's API, signed in as the person at the workbench. Refusals come back as
/// data (<see cref="Refusal"/>) so that a page can say what went wrong and keep what was typed.
/// </summary>
public sealed class CaseFileApi(IDesignerBackend backend)
{
    public Task<ApiResult<CaseFileDetails>> FileAsync(string instanceId, CancellationToken cancellationToken) =>
        SendAsync<CaseFileDetails>(HttpMethod.Get, $"api/instances/{Esc(instanceId)}/file", null, cancellationToken);

    public Task<ApiResult<CaseFileDetails>> ChangeFileAsync(string instanceId, CaseDetailsChange change, CancellationToken cancellationToken) =>
        SendAsync<CaseFileDetails>(HttpMethod.Put, $"api/instances/{Esc(instanceId)}/file", change, cancellationToken);

    public Task<ApiResult<List<CaseFileRecord>>> RecordsAsync(string instanceId, CancellationToken cancellationToken) =>
        SendAsync<List<CaseFileRecord>>(HttpMethod.Get, $"api/instances/{Esc(instanceId)}/records", null, cancellationToken);

    public Task<ApiResult<CaseFileRecord>> AddRecordAsync(string instanceId, NewCaseRecord record, CancellationToken cancellationToken) =>
        SendAsync<CaseFileRecord>(HttpMethod.Post, $"api/instances/{Esc(instanceId)}/records", record, cancellationToken);

    public Task<ApiResult<List<CaseAttachmentRow>>> AttachmentsAsync(string instanceId, CancellationToken cancellationToken) =>
        SendAsync<List<CaseAttachmentRow>>(HttpMethod.Get, $"api/instances/{Esc(instanceId)}/attachments", null, cancellationToken);

    /// <summary>Uploads a file as it is read (nothing is held whole); the server checks its type, content and size.</summary>
    public async Task<ApiResult<CaseAttachmentRow>> UploadAsync(string instanceId, Stream content, string fileName, string? description, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(content);
        // The server decides the type from the name and the bytes; this only labels the part.
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (!string.IsNullOrWhiteSpace(description))
        {
            form.Add(new StringContent(description.Trim()), "description");
        }

        using var response = await client.PostAsync($"api/instances/{Esc(instanceId)}/attachments", form, cancellationToken);
        return await ReadAsync<CaseAttachmentRow>(response, cancellationToken);
    }

    public Task<ApiResult<List<CaseDocumentRow>>> DocumentsAsync(string instanceId, CancellationToken cancellationToken) =>
        SendAsync<List<CaseDocumentRow>>(HttpMethod.Get, $"api/instances/{Esc(instanceId)}/documents", null, cancellationToken);

    public Task<ApiResult<List<CaseSessionRow>>> SessionsAsync(string instanceId, CancellationToken cancellationToken) =>
        SendAsync<List<CaseSessionRow>>(HttpMethod.Get, $"api/instances/{Esc(instanceId)}/sessions", null, cancellationToken);

    public Task<ApiResult<List<CaseSessionRow>>> UpcomingSessionsAsync(CancellationToken cancellationToken) =>
        SendAsync<List<CaseSessionRow>>(HttpMethod.Get, "api/sessions", null, cancellationToken);

    public Task<ApiResult<CaseSessionRow>> ScheduleSessionAsync(string instanceId, SessionPlan plan, CancellationToken cancellationToken) =>
        SendAsync<CaseSessionRow>(HttpMethod.Post, $"api/instances/{Esc(instanceId)}/sessions", plan, cancellationToken);

    public Task<ApiResult<CaseSessionRow>> MoveSessionAsync(string sessionId, SessionPlan plan, CancellationToken cancellationToken) =>
        SendAsync<CaseSessionRow>(HttpMethod.Put, $"api/sessions/{Esc(sessionId)}", plan, cancellationToken);

    public Task<ApiResult<CaseSessionRow>> CancelSessionAsync(string sessionId, string reason, CancellationToken cancellationToken) =>
        SendAsync<CaseSessionRow>(HttpMethod.Post, $"api/sessions/{Esc(sessionId)}/cancel", new { reason }, cancellationToken);

    public Task<ApiResult<List<CaseTaskRow>>> OpenTasksAsync(string instanceId, CancellationToken cancellationToken) =>
        SendAsync<List<CaseTaskRow>>(HttpMethod.Get, $"api/tasks?instanceId={Esc(instanceId)}", null, cancellationToken);

    /// <summary>Asks for <paramref name="workingDays"/> more working days on a task.</summary>
    public async Task<ApiResult<ExtensionAnswer>> RequestExtensionAsync(string taskId, int workingDays, string reason, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.PostAsJsonAsync($"api/tasks/{Esc(taskId)}/extension", new { by = new { workingDays }, reason }, DesignerJson.Options, cancellationToken);
        var result = await ReadAsync<ExtensionRow>(response, cancellationToken);
        return result.Value is { } row
            ? new ApiResult<ExtensionAnswer>(new ExtensionAnswer(response.StatusCode == HttpStatusCode.OK, row), null)
            : new ApiResult<ExtensionAnswer>(null, result.Refusal);
    }

    /// <summary>Extension requests of my units: pending ones, or every one with <paramref name="all"/>.</summary>
    public Task<ApiResult<List<ExtensionRow>>> ExtensionsAsync(bool all, CancellationToken cancellationToken) =>
        SendAsync<List<ExtensionRow>>(HttpMethod.Get, all ? "api/extensions?status=all" : "api/extensions", null, cancellationToken);

    public Task<ApiResult<ExtensionRow>> ApproveExtensionAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<ExtensionRow>(HttpMethod.Post, $"api/extensions/{Esc(id)}/approve", new { }, cancellationToken);

    public Task<ApiResult<ExtensionRow>> RejectExtensionAsync(string id, string? reason, CancellationToken cancellationToken) =>
        SendAsync<ExtensionRow>(HttpMethod.Post, $"api/extensions/{Esc(id)}/reject", new { reason }, cancellationToken);

    public Task<ApiResult<List<BallotRow>>> BallotsAsync(CancellationToken cancellationToken) =>
        SendAsync<List<BallotRow>>(HttpMethod.Get, "api/ballots", null, cancellationToken);

    public Task<ApiResult<BallotRow>> BallotAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<BallotRow>(HttpMethod.Get, $"api/ballots/{Esc(id)}", null, cancellationToken);

    public Task<ApiResult<List<ElectorRow>>> ElectorateAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<List<ElectorRow>>(HttpMethod.Get, $"api/ballots/{Esc(id)}/electorate", null, cancellationToken);

    public Task<ApiResult<TurnoutRow>> TurnoutAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<TurnoutRow>(HttpMethod.Get, $"api/ballots/{Esc(id)}/turnout", null, cancellationToken);

    public Task<ApiResult<TurnoutRow>> MarkPaperVoterAsync(string id, string userId, CancellationToken cancellationToken) =>
        SendAsync<TurnoutRow>(HttpMethod.Post, $"api/ballots/{Esc(id)}/paper/voters", new { userId }, cancellationToken);

    public Task<ApiResult<List<PaperBatchRow>>> PaperBatchesAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<List<PaperBatchRow>>(HttpMethod.Get, $"api/ballots/{Esc(id)}/paper/batches", null, cancellationToken);

    /// <summary>Enters a batch of paper ballots, each <c>{"question id": "option id"}</c>.</summary>
    public Task<ApiResult<PaperBatchRow>> EnterPaperBatchAsync(string id, JsonArray ballots, CancellationToken cancellationToken) =>
        SendAsync<PaperBatchRow>(HttpMethod.Post, $"api/ballots/{Esc(id)}/paper/batches", new JsonObject { ["ballots"] = ballots }, cancellationToken);

    public Task<ApiResult<PaperBatchRow>> ConfirmPaperBatchAsync(string id, string batchId, CancellationToken cancellationToken) =>
        SendAsync<PaperBatchRow>(HttpMethod.Post, $"api/ballots/{Esc(id)}/paper/batches/{Esc(batchId)}/confirm", new { }, cancellationToken);

    public Task<ApiResult<PaperBatchRow>> RejectPaperBatchAsync(string id, string batchId, CancellationToken cancellationToken) =>
        SendAsync<PaperBatchRow>(HttpMethod.Post, $"api/ballots/{Esc(id)}/paper/batches/{Esc(batchId)}/reject", new { }, cancellationToken);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken) where T : class
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: DesignerJson.Options);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>The value of a success, or the refusal with its title, detail and field problems.</summary>
    private static async Task<ApiResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) where T : class
    {
        if (response.IsSuccessStatusCode)
        {
            return new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(DesignerJson.Options, cancellationToken), null);
        }

        JsonObject? body = null;
        if (response.Content.Headers.ContentType?.MediaType is { } media && media.Contains("json", StringComparison.Ordinal))
        {
            body = await response.Content.ReadFromJsonAsync<JsonObject>(DesignerJson.Options, cancellationToken);
        }

        List<Problem> problems = body?["problems"] is JsonArray list
            ? [.. list.OfType<JsonObject>().Select(p => new Problem(p["severity"]?.GetValue<string>() ?? "error", p["code"]?.GetValue<string>() ?? "",
                p["message"]?.GetValue<string>() ?? "", p["activityId"]?.GetValue<string>(), p["property"]?.GetValue<string>(), p["path"]?.GetValue<string>()))]
            : [];
        return new ApiResult<T>(null, new Refusal((int)response.StatusCode, body?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? "",
            body?["detail"]?.GetValue<string>(), problems));
    }

    private static string Esc(string value) => Uri.EscapeDataString(value);
}
