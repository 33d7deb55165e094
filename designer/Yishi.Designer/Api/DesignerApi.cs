using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Api;

/// <summary>The definition and activity endpoints, as the designer uses them.</summary>
public sealed partial class DesignerApi(IDesignerBackend backend)
{
    /// <summary>Every definition the user may see, one row each.</summary>
    public async Task<IReadOnlyList<DefinitionRow>> ListAsync(CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        var rows = await client.GetFromJsonAsync<List<DefinitionRow>>("api/definitions", DesignerJson.Options, cancellationToken);
        return rows ?? [];
    }

    /// <summary>The registered activity types with their properties, outcomes and categories.</summary>
    public async Task<IReadOnlyList<ActivityType>> ActivitiesAsync(CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        return await client.GetFromJsonAsync<List<ActivityType>>("api/activities", DesignerJson.Options, cancellationToken) ?? [];
    }

    /// <summary>The latest version of a definition with its ETag, or the server's refusal.</summary>
    public async Task<ApiResult<EditedDefinition>> GetAsync(string definitionId, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.GetAsync($"api/definitions/{Uri.EscapeDataString(definitionId)}", cancellationToken);
        return await EditedAsync(response, cancellationToken);
    }

    /// <summary>One version of a definition (the newest without <paramref name="version"/>).</summary>
    public async Task<ApiResult<EditedDefinition>> GetVersionAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.GetAsync($"api/definitions/{Uri.EscapeDataString(definitionId)}?version={version}", cancellationToken);
        return await EditedAsync(response, cancellationToken);
    }

    /// <summary>Every version of a definition, oldest first, without their documents.</summary>
    public async Task<IReadOnlyList<VersionRow>> VersionsAsync(string definitionId, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        return await client.GetFromJsonAsync<List<VersionRow>>($"api/definitions/{Uri.EscapeDataString(definitionId)}/versions", DesignerJson.Options, cancellationToken) ?? [];
    }

    /// <summary>Creates a definition from a document (new, imported or copied) in the user's org unit.</summary>
    public async Task<ApiResult<EditedDefinition>> CreateAsync(string json, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.PostAsync("api/definitions", Json(json), cancellationToken);
        return await EditedAsync(response, cancellationToken);
    }

    /// <summary>Saves the draft over the version the user edited (<paramref name="etag"/>); 412 when someone saved meanwhile.</summary>
    public async Task<ApiResult<EditedDefinition>> SaveDraftAsync(string definitionId, string json, string etag, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/definitions/{Uri.EscapeDataString(definitionId)}/draft") { Content = Json(json) };
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        using var response = await client.SendAsync(request, cancellationToken);
        return await EditedAsync(response, cancellationToken);
    }

    /// <summary>Publishes the latest draft with a change note (may be empty); refused while it has errors.</summary>
    public async Task<ApiResult<EditedDefinition>> PublishAsync(string definitionId, string? note, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.PostAsJsonAsync($"api/definitions/{Uri.EscapeDataString(definitionId)}/publish",
            new { note = string.IsNullOrWhiteSpace(note) ? null : note }, DesignerJson.Options, cancellationToken);
        return await EditedAsync(response, cancellationToken);
    }

    /// <summary>What the engine and the server find wrong with a document, without saving it.</summary>
    public async Task<IReadOnlyList<Problem>> ValidateAsync(string json, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.PostAsync("api/definitions/validate", Json(json), cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(DesignerJson.Options, cancellationToken);
        return Problems(body);
    }

    /// <summary>The template keys there are, each once.</summary>
    public async Task<IReadOnlyList<string>> TemplateKeysAsync(CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        var rows = await client.GetFromJsonAsync<List<JsonObject>>("api/templates", DesignerJson.Options, cancellationToken) ?? [];
        return [.. rows.Select(r => r["key"]!.GetValue<string>()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The newest text of a template in a locale, or null when there is none.</summary>
    public async Task<string?> TemplateTextAsync(string key, string locale, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.GetAsync($"api/templates/text?key={Uri.EscapeDataString(key)}&locale={Uri.EscapeDataString(locale)}", cancellationToken);
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonObject>(DesignerJson.Options, cancellationToken))?["text"]?.GetValue<string>() : null;
    }

    /// <summary>Renders a template's text with its own sample (and the workflow's variables): the parts, or its errors by line and column.</summary>
    public async Task<TemplatePreview> PreviewAsync(string text, string locale, string? definitionId, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.PostAsJsonAsync("api/templates/preview", new { text, locale, definitionId }, DesignerJson.Options, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(DesignerJson.Options, cancellationToken) ?? [];
        var parts = body["parts"] as JsonObject ?? [];
        var errors = (body["errors"] as JsonArray ?? []).Concat(body["warnings"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(e => $"{e["part"]?.GetValue<string>() ?? ""} {e["line"]}:{e["column"]} {e["message"]?.GetValue<string>()}".Trim()).ToList();
        return new TemplatePreview(response.IsSuccessStatusCode, parts.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal), errors,
            response.IsSuccessStatusCode ? null : body["detail"]?.GetValue<string>() ?? body["title"]?.GetValue<string>());
    }

    /// <summary>Saves an edited template as its newest version.</summary>
    public async Task<Refusal?> SaveTemplateAsync(string key, string locale, string text, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.PostAsJsonAsync("api/templates", new { key, locale, text }, DesignerJson.Options, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = await response.Content.ReadFromJsonAsync<JsonObject>(DesignerJson.Options, cancellationToken);
        return new Refusal((int)response.StatusCode, body?["title"]?.GetValue<string>() ?? "", body?["detail"]?.GetValue<string>(), []);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<ApiResult<EditedDefinition>> EditedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = response.Content.Headers.ContentLength == 0 ? null : await response.Content.ReadFromJsonAsync<JsonObject>(DesignerJson.Options, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new ApiResult<EditedDefinition>(null, new Refusal((int)response.StatusCode, body?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? "",
                body?["detail"]?.GetValue<string>(), Problems(body)));
        }

        var etag = response.Headers.ETag?.ToString() ?? (body?["contentHash"]?.GetValue<string>() is { } hash ? $"\"{hash}\"" : "");
        return new ApiResult<EditedDefinition>(new EditedDefinition(
            body!["definitionId"]!.GetValue<string>(),
            body["version"]!.GetValue<int>(),
            body["status"]!.GetValue<string>(),
            body["orgUnitId"]?.GetValue<string>() ?? "",
            etag,
            body["definition"] as JsonObject ?? [],
            Problems(body)), null);
    }

    internal static List<Problem> Problems(JsonObject? body) =>
        body?["problems"] is JsonArray problems
            ? [.. problems.OfType<JsonObject>().Select(p => new Problem(
                p["severity"]?.GetValue<string>() ?? "error",
                p["code"]?.GetValue<string>() ?? "",
                p["message"]?.GetValue<string>() ?? "",
                p["activityId"]?.GetValue<string>(),
                p["property"]?.GetValue<string>(),
                p["path"]?.GetValue<string>()))]
            : [];

    /// <summary>Whether an answer is the 412 of a concurrent edit.</summary>
    public static bool IsEditedMeanwhile(Refusal refusal) => refusal.Status == (int)HttpStatusCode.PreconditionFailed;
}
