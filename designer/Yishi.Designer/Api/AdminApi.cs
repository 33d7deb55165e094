using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Api;

/// <summary>The admin endpoints (users, org units, API keys, the holiday calendar, deliveries) as the admin pages use them.</summary>
public sealed class AdminApi(IDesignerBackend backend)
{
    public Task<ApiResult<List<AdminUser>>> UsersAsync(CancellationToken cancellationToken) => GetAsync<List<AdminUser>>("api/admin/users", cancellationToken);

    public Task<ApiResult<List<string>>> RolesAsync(CancellationToken cancellationToken) => GetAsync<List<string>>("api/admin/roles", cancellationToken);

    public Task<ApiResult<AdminUser>> CreateUserAsync(NewUser user, CancellationToken cancellationToken) => SendAsync<AdminUser>(HttpMethod.Post, "api/admin/users", user, cancellationToken);

    public Task<ApiResult<List<string>>> SetRolesAsync(string userId, IReadOnlyList<string> roles, CancellationToken cancellationToken) =>
        SendAsync<List<string>>(HttpMethod.Put, $"api/admin/users/{Uri.EscapeDataString(userId)}/roles", new { roles }, cancellationToken);

    public Task<ApiResult<List<AdminOrgUnit>>> OrgUnitsAsync(CancellationToken cancellationToken) => GetAsync<List<AdminOrgUnit>>("api/admin/org-units", cancellationToken);

    public Task<ApiResult<AdminOrgUnit>> CreateOrgUnitAsync(NewOrgUnit unit, CancellationToken cancellationToken) =>
        SendAsync<AdminOrgUnit>(HttpMethod.Post, "api/admin/org-units", unit, cancellationToken);

    public Task<ApiResult<List<AdminApiKey>>> ApiKeysAsync(CancellationToken cancellationToken) => GetAsync<List<AdminApiKey>>("api/admin/api-keys", cancellationToken);

    public Task<ApiResult<CreatedApiKey>> CreateApiKeyAsync(string name, string orgUnitId, IReadOnlyList<string> permissions, CancellationToken cancellationToken) =>
        SendAsync<CreatedApiKey>(HttpMethod.Post, "api/admin/api-keys", new { name, orgUnitId, permissions }, cancellationToken);

    public Task<ApiResult<JsonObject>> RevokeApiKeyAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<JsonObject>(HttpMethod.Delete, $"api/admin/api-keys/{Uri.EscapeDataString(id)}", null, cancellationToken);

    public Task<ApiResult<CalendarView>> CalendarAsync(CancellationToken cancellationToken) => GetAsync<CalendarView>("api/admin/calendar", cancellationToken);

    /// <summary>Makes a day a day off (<c>off</c>) or a working day (<c>work</c>), for every unit or one.</summary>
    public Task<ApiResult<CalendarDayResult>> ChangeDayAsync(DateOnly date, string kind, string name, string? orgUnitId, CancellationToken cancellationToken) =>
        SendAsync<CalendarDayResult>(HttpMethod.Put, $"api/admin/calendar/days/{Day(date)}", new { kind, name, orgUnitId }, cancellationToken);

    public Task<ApiResult<CalendarDayResult>> UndoDayAsync(DateOnly date, string orgUnitId, CancellationToken cancellationToken) =>
        SendAsync<CalendarDayResult>(HttpMethod.Delete,
            $"api/admin/calendar/days/{Day(date)}{(orgUnitId.Length > 0 ? $"?orgUnitId={Uri.EscapeDataString(orgUnitId)}" : "")}", null, cancellationToken);

    /// <summary>Deliveries with a status (<c>dead</c> for the dead letters), newest first.</summary>
    public Task<ApiResult<List<AdminDelivery>>> DeliveriesAsync(string status, CancellationToken cancellationToken) =>
        GetAsync<List<AdminDelivery>>($"api/admin/deliveries?status={Uri.EscapeDataString(status)}&pageSize=100", cancellationToken);

    public Task<ApiResult<AdminDelivery>> RetryDeliveryAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<AdminDelivery>(HttpMethod.Post, $"api/admin/deliveries/{Uri.EscapeDataString(id)}/retry", null, cancellationToken);

    public Task<ApiResult<AdminChannels>> ChannelsAsync(CancellationToken cancellationToken) => GetAsync<AdminChannels>("api/admin/channels", cancellationToken);

    /// <summary>Imports the resident registry from CSV text; a file with errors imports nothing and answers each bad cell.</summary>
    public async Task<ResidentImportAnswer> ImportResidentsAsync(string csv, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        using var response = await client.PostAsync("api/admin/residents/import", content, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new ResidentImportAnswer(await response.Content.ReadFromJsonAsync<ResidentImportResult>(DesignerJson.Options, cancellationToken), null, []);
        }

        var body = await ReadProblemAsync(response, cancellationToken);
        var errors = body?["errors"] is JsonArray list ? list.Deserialize<List<ResidentImportError>>(DesignerJson.Options) ?? [] : [];
        return new ResidentImportAnswer(null, new Refusal((int)response.StatusCode, body?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? "",
            body?["detail"]?.GetValue<string>(), []), errors);
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.GetAsync(path, cancellationToken);
        return await ResultAsync<T>(response, cancellationToken);
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken) where T : class
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: DesignerJson.Options) };
        using var response = await client.SendAsync(request, cancellationToken);
        return await ResultAsync<T>(response, cancellationToken);
    }

    /// <summary>The answer as data; a ProblemDetails as a <see cref="Refusal"/> (an empty success body, such as a 204, as an empty value).</summary>
    private static async Task<ApiResult<T>> ResultAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) where T : class
    {
        if (response.IsSuccessStatusCode)
        {
            return response.Content.Headers.ContentLength == 0 || response.StatusCode == System.Net.HttpStatusCode.NoContent
                ? new ApiResult<T>(null, null)
                : new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(DesignerJson.Options, cancellationToken), null);
        }

        var body = response.Content.Headers.ContentLength == 0 ? null : await ReadProblemAsync(response, cancellationToken);
        return new ApiResult<T>(null, new Refusal((int)response.StatusCode, body?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? "",
            body?["detail"]?.GetValue<string>(), []));
    }

    private static async Task<JsonObject?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonObject>(DesignerJson.Options, cancellationToken);
        }
        catch (System.Text.Json.JsonException)
        {
            // A proxy's HTML error page is not a ProblemDetails: the status and reason say enough.
            return null;
        }
    }
}
