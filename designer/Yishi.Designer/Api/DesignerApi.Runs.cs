using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Api;

/// <summary>Rehearsals of a draft, and the real cases of a workflow, as the designer uses them.</summary>
public sealed partial class DesignerApi
{
    /// <summary>Starts a rehearsal of the newest version (the draft) with sample values for its variables.</summary>
    public async Task<ApiResult<RehearsalRun>> StartRehearsalAsync(string definitionId, JsonObject input, string locale, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.PostAsJsonAsync($"api/definitions/{Uri.EscapeDataString(definitionId)}/rehearsals?locale={locale}", new { input },
            DesignerJson.Options, cancellationToken);
        return await ResultAsync<RehearsalRun>(response, cancellationToken);
    }

    /// <summary>Moves a rehearsal's clock on by an ISO 8601 duration (<c>P1D</c>) or working days (<c>{"workingDays": 1}</c>).</summary>
    public async Task<ApiResult<RehearsalRun>> AdvanceRehearsalAsync(string id, JsonNode by, string locale, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.PostAsJsonAsync($"api/rehearsals/{Uri.EscapeDataString(id)}/advance?locale={locale}", new { by }, DesignerJson.Options, cancellationToken);
        return await ResultAsync<RehearsalRun>(response, cancellationToken);
    }

    /// <summary>Completes a rehearsal's task (or settles another wait) with an outcome and the form's values.</summary>
    public async Task<ApiResult<RehearsalRun>> SettleAsync(string id, string waitId, string? outcome, JsonObject? data, string locale, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.PostAsJsonAsync($"api/rehearsals/{Uri.EscapeDataString(id)}/tasks/{Uri.EscapeDataString(waitId)}/complete?locale={locale}",
            new { outcome, data }, DesignerJson.Options, cancellationToken);
        return await ResultAsync<RehearsalRun>(response, cancellationToken);
    }

    /// <summary>Ends a rehearsal; nothing of it remains.</summary>
    public async Task EndRehearsalAsync(string id, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var _ = await client.DeleteAsync($"api/rehearsals/{Uri.EscapeDataString(id)}", cancellationToken);
    }

    /// <summary>A workflow's cases, newest first (the first 100).</summary>
    public async Task<IReadOnlyList<InstanceRow>> InstancesAsync(string definitionId, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        return await client.GetFromJsonAsync<List<InstanceRow>>($"api/instances?definitionId={Uri.EscapeDataString(definitionId)}&pageSize=100", DesignerJson.Options,
            cancellationToken) ?? [];
    }

    /// <summary>One case: where it waits and its incidents.</summary>
    public async Task<ApiResult<InstanceDetail>> InstanceAsync(string id, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.GetAsync($"api/instances/{Uri.EscapeDataString(id)}", cancellationToken);
        return await ResultAsync<InstanceDetail>(response, cancellationToken);
    }

    /// <summary>A case's journal, oldest first.</summary>
    public async Task<IReadOnlyList<JournalLine>> JournalAsync(string id, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        return await client.GetFromJsonAsync<List<JournalLine>>($"api/instances/{Uri.EscapeDataString(id)}/journal", DesignerJson.Options, cancellationToken) ?? [];
    }

    /// <summary>Retries a case's failed steps; the refusal if the server gives one.</summary>
    public async Task<Refusal?> RetryAsync(string id, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.PostAsync($"api/instances/{Uri.EscapeDataString(id)}/retry", null, cancellationToken);
        return (await ResultAsync<JsonObject>(response, cancellationToken)).Refusal;
    }

    /// <summary>Says, per case, where it would stand on <paramref name="toVersion"/> and what would be lost; changes nothing.</summary>
    public Task<ApiResult<MigrationAnswer>> PlanMigrationAsync(string definitionId, int toVersion, IReadOnlyList<string> instanceIds, IReadOnlyDictionary<string, string> map,
        CancellationToken cancellationToken) => MigrationAsync($"api/definitions/{Uri.EscapeDataString(definitionId)}/migrations/dry-run", toVersion, instanceIds, map, cancellationToken);

    /// <summary>Moves the cases that can move to <paramref name="toVersion"/>; the answer says which did.</summary>
    public Task<ApiResult<MigrationAnswer>> MigrateAsync(string definitionId, int toVersion, IReadOnlyList<string> instanceIds, IReadOnlyDictionary<string, string> map,
        CancellationToken cancellationToken) => MigrationAsync($"api/definitions/{Uri.EscapeDataString(definitionId)}/migrations", toVersion, instanceIds, map, cancellationToken);

    private async Task<ApiResult<MigrationAnswer>> MigrationAsync(string path, int toVersion, IReadOnlyList<string> instanceIds, IReadOnlyDictionary<string, string> map,
        CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.PostAsJsonAsync(path, new { toVersion, instanceIds, map }, DesignerJson.Options, cancellationToken);
        return await ResultAsync<MigrationAnswer>(response, cancellationToken);
    }

    private static async Task<ApiResult<T>> ResultAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) where T : class
    {
        if (response.IsSuccessStatusCode)
        {
            return new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(DesignerJson.Options, cancellationToken), null);
        }

        var body = response.Content.Headers.ContentLength == 0 ? null : await response.Content.ReadFromJsonAsync<JsonObject>(DesignerJson.Options, cancellationToken);
        return new ApiResult<T>(null, new Refusal((int)response.StatusCode, body?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? "",
            body?["detail"]?.GetValue<string>(), Problems(body)));
    }
}
