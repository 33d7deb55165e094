using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Api;

/// <summary>The workbench's client of the server's API: the inbox, a case, its timeline, and the actions on tasks and cases.</summary>
public sealed class WorkbenchApi(IDesignerBackend backend)
{
    /// <summary>One tab of the inbox; texts from definitions in <paramref name="locale"/>.</summary>
    public async Task<ApiResult<InboxAnswer>> InboxAsync(InboxFilter filter, string locale, CancellationToken cancellationToken)
    {
        var query = new List<string> { "view=" + Uri.EscapeDataString(filter.View) };
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Add(name + "=" + Uri.EscapeDataString(value.Trim()));
            }
        }

        Add("definitionId", filter.DefinitionId);
        Add("activityId", filter.ActivityId);
        Add("risk", filter.Risk);
        Add("orgUnitId", filter.OrgUnitId);
        Add("search", filter.Search);
        return await GetAsync<InboxAnswer>("api/workbench/inbox?" + string.Join('&', query), locale, cancellationToken);
    }

    public Task<ApiResult<WorkbenchCase>> CaseAsync(string id, string locale, CancellationToken cancellationToken) =>
        GetAsync<WorkbenchCase>($"api/workbench/cases/{Uri.EscapeDataString(id)}", locale, cancellationToken);

    public Task<ApiResult<List<TimelineEntry>>> TimelineAsync(string id, string locale, CancellationToken cancellationToken) =>
        GetAsync<List<TimelineEntry>>($"api/instances/{Uri.EscapeDataString(id)}/timeline", locale, cancellationToken);

    public Task<ApiResult<List<OrgUnitOption>>> OrgUnitsAsync(string locale, CancellationToken cancellationToken) =>
        GetAsync<List<OrgUnitOption>>("api/workbench/org-units", locale, cancellationToken);

    public Task<ApiResult<List<Assignee>>> AssigneesAsync(string taskId, CancellationToken cancellationToken) =>
        GetAsync<List<Assignee>>($"api/tasks/{Uri.EscapeDataString(taskId)}/assignees", PageText.Chinese, cancellationToken);

    /// <summary>Takes a task from the team's inbox; the refusal (409: someone took it first) if any.</summary>
    public async Task<Refusal?> ClaimAsync(string taskId, CancellationToken cancellationToken) =>
        (await PostAsync<JsonObject>($"api/tasks/{Uri.EscapeDataString(taskId)}/claim", null, cancellationToken)).Refusal;

    /// <summary>Completes a task. The idempotency key makes a repeated click or a retry after a lost answer count once.</summary>
    public async Task<Completion> CompleteAsync(string taskId, TaskSubmission submission, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/tasks/{Uri.EscapeDataString(taskId)}/complete")
        {
            Content = JsonContent.Create(new { outcome = submission.Outcome, data = submission.Data }, options: DesignerJson.Options),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new Completion(true, null);
        }

        var body = await BodyAsync(response, cancellationToken);
        return new Completion(false, RefusalOf(response, body), body?["completedBy"]?.GetValue<string>(),
            body?["completedAt"] is JsonValue at && at.TryGetValue<DateTimeOffset>(out var when) ? when : null);
    }

    public Task<ApiResult<RevealedParty>> RevealAsync(string instanceId, string partyId, string reason, CancellationToken cancellationToken) =>
        PostAsync<RevealedParty>($"api/instances/{Uri.EscapeDataString(instanceId)}/parties/{Uri.EscapeDataString(partyId)}/reveal", new { reason }, cancellationToken);

    public async Task<Refusal?> AssignAsync(string taskId, string userId, string reason, CancellationToken cancellationToken) =>
        (await PostAsync<JsonObject>($"api/tasks/{Uri.EscapeDataString(taskId)}/assign", new { userId, reason }, cancellationToken)).Refusal;

    public async Task<Refusal?> TransferAsync(string instanceId, string orgUnitId, string reason, CancellationToken cancellationToken) =>
        (await PostAsync<JsonObject>($"api/instances/{Uri.EscapeDataString(instanceId)}/transfer", new { orgUnitId, reason }, cancellationToken)).Refusal;

    private async Task<ApiResult<T>> GetAsync<T>(string path, string locale, CancellationToken cancellationToken) where T : class
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        // The server words step titles, workflow names and the timeline in the page's language.
        request.Headers.AcceptLanguage.ParseAdd(locale);
        using var response = await client.SendAsync(request, cancellationToken);
        return await ResultAsync<T>(response, cancellationToken);
    }

    private async Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken) where T : class
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = body is null ? await client.PostAsync(path, null, cancellationToken) : await client.PostAsJsonAsync(path, body, DesignerJson.Options, cancellationToken);
        return await ResultAsync<T>(response, cancellationToken);
    }

    private static async Task<ApiResult<T>> ResultAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) where T : class =>
        response.IsSuccessStatusCode
            ? new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(DesignerJson.Options, cancellationToken), null)
            : new ApiResult<T>(null, RefusalOf(response, await BodyAsync(response, cancellationToken)));

    private static async Task<JsonObject?> BodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            // A proxy's HTML error page: the status says enough.
            return null;
        }
    }

    private static Refusal RefusalOf(HttpResponseMessage response, JsonObject? body) =>
        new((int)response.StatusCode, body?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? "", body?["detail"]?.GetValue<string>(), DesignerApi.Problems(body));
}
