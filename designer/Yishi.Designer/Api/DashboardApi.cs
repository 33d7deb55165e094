using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Api;

/// <summary>The dashboard's figures, read from the server's API as the signed-in user.</summary>
public sealed class DashboardApi(IDesignerBackend backend)
{
    /// <summary>The figures for <paramref name="filter"/>, or the server's refusal (an org unit outside the viewer's, an unknown period).</summary>
    public async Task<ApiResult<DashboardFigures>> FiguresAsync(DashboardFilter filter, CancellationToken cancellationToken)
    {
        var query = $"api/dashboard?days={filter.Days}"
                    + (filter.OrgUnitId is { Length: > 0 } unit ? $"&orgUnitId={Uri.EscapeDataString(unit)}" : "")
                    + (filter.DefinitionId is { Length: > 0 } workflow ? $"&definitionId={Uri.EscapeDataString(workflow)}" : "");
        using var client = await backend.ClientAsync(cancellationToken);
        using var response = await client.GetAsync(query, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new ApiResult<DashboardFigures>(await response.Content.ReadFromJsonAsync<DashboardFigures>(DesignerJson.Options, cancellationToken), null);
        }

        var body = response.Content.Headers.ContentLength == 0 ? null : await response.Content.ReadFromJsonAsync<JsonObject>(DesignerJson.Options, cancellationToken);
        return new ApiResult<DashboardFigures>(null, new Refusal((int)response.StatusCode, body?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? "",
            body?["detail"]?.GetValue<string>(), []));
    }
}
