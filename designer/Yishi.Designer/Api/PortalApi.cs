using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Api;

/// <summary>
/// The resident portal's client of the public API, as the signed-in resident: the API decides what a resident may
/// see and do (their own cases, the ballots they are on the roll of), the portal only shows it.
/// </summary>
public sealed class PortalApi(IDesignerBackend backend, PageText text)
{
    public async Task<IReadOnlyList<InboxMessage>> InboxAsync(CancellationToken cancellationToken) =>
        await GetListAsync<InboxMessage>("api/inbox?pageSize=100", cancellationToken);

    public async Task<PortalRefusal?> MarkReadAsync(string id, CancellationToken cancellationToken) =>
        (await SendAsync<JsonObject>(HttpMethod.Post, $"api/inbox/{Uri.EscapeDataString(id)}/read", null, cancellationToken)).Refusal;

    public async Task<IReadOnlyList<MyCaseRow>> CasesAsync(CancellationToken cancellationToken) =>
        await GetListAsync<MyCaseRow>("api/instances?pageSize=200", cancellationToken);

    /// <summary>The case, or 404 when it does not exist or the resident is not party to it (the API answers both alike).</summary>
    public Task<PortalResult<MyCaseRow>> CaseAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<MyCaseRow>(HttpMethod.Get, $"api/instances/{Uri.EscapeDataString(id)}", null, cancellationToken);

    public async Task<IReadOnlyList<CaseStoryLine>> StoryAsync(string id, CancellationToken cancellationToken) =>
        await GetListAsync<CaseStoryLine>($"api/instances/{Uri.EscapeDataString(id)}/timeline", cancellationToken);

    /// <summary>Whether the case asks for the resident's rating, and theirs if given; null when the server has none to show.</summary>
    public async Task<MyCaseRating?> RatingAsync(string id, CancellationToken cancellationToken) =>
        (await SendAsync<MyCaseRating>(HttpMethod.Get, $"api/instances/{Uri.EscapeDataString(id)}/rating", null, cancellationToken)).Value;

    public async Task<PortalRefusal?> RateAsync(string id, string rating, string? comment, CancellationToken cancellationToken) =>
        (await SendAsync<MyCaseRating>(HttpMethod.Post, $"api/instances/{Uri.EscapeDataString(id)}/rating",
            new JsonObject { ["rating"] = rating, ["comment"] = string.IsNullOrWhiteSpace(comment) ? null : comment }, cancellationToken)).Refusal;

    public async Task<IReadOnlyList<VoterBallot>> BallotsAsync(CancellationToken cancellationToken) =>
        await GetListAsync<VoterBallot>("api/ballots", cancellationToken);

    public Task<PortalResult<VoterBallot>> BallotAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<VoterBallot>(HttpMethod.Get, $"api/ballots/{Uri.EscapeDataString(id)}", null, cancellationToken);

    /// <summary>Casts the vote: <paramref name="choices"/> maps each question's id to an option (or a list of options).</summary>
    public Task<PortalResult<PortalVoteReceipt>> VoteAsync(string id, JsonObject choices, CancellationToken cancellationToken) =>
        SendAsync<PortalVoteReceipt>(HttpMethod.Post, $"api/ballots/{Uri.EscapeDataString(id)}/votes", new JsonObject { ["choices"] = choices }, cancellationToken);

    public Task<PortalResult<PortalReceiptCheck>> CheckReceiptAsync(string ballotId, string code, CancellationToken cancellationToken) =>
        SendAsync<PortalReceiptCheck>(HttpMethod.Get, $"api/ballots/{Uri.EscapeDataString(ballotId)}/receipts/{Uri.EscapeDataString(code.Trim())}", null, cancellationToken);

    public async Task<IReadOnlyList<PortalConsultationRow>> ConsultationsAsync(CancellationToken cancellationToken) =>
        await GetListAsync<PortalConsultationRow>("api/consultations", cancellationToken);

    public Task<PortalResult<ResidentConsultation>> ConsultationAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<ResidentConsultation>(HttpMethod.Get, $"api/consultations/{Uri.EscapeDataString(id)}", null, cancellationToken);

    /// <summary>Gives or changes the resident's opinion; the answer's status says 202 when it is held for review.</summary>
    public async Task<(int Status, PortalRefusal? Refusal)> OpinionAsync(string id, string stance, string opinion, CancellationToken cancellationToken)
    {
        using var client = await ClientAsync(cancellationToken);
        using var response = await client.PostAsJsonAsync($"api/consultations/{Uri.EscapeDataString(id)}/opinions", new { stance, text = opinion }, DesignerJson.Options,
            cancellationToken);
        return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : await RefusalAsync(response, cancellationToken));
    }

    public async Task<PortalRefusal?> EvaluateAsync(string id, JsonObject scores, string? comment, CancellationToken cancellationToken) =>
        (await SendAsync<JsonObject>(HttpMethod.Post, $"api/consultations/{Uri.EscapeDataString(id)}/evaluations",
            new JsonObject { ["scores"] = scores, ["comment"] = string.IsNullOrWhiteSpace(comment) ? null : comment }, cancellationToken)).Refusal;

    private async Task<HttpClient> ClientAsync(CancellationToken cancellationToken)
    {
        var client = await backend.ClientAsync(cancellationToken);
        // The server words timelines and rules in the page's language.
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(text.Locale);
        return client;
    }

    private async Task<List<T>> GetListAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var client = await ClientAsync(cancellationToken);
        return await client.GetFromJsonAsync<List<T>>(path, DesignerJson.Options, cancellationToken) ?? [];
    }

    private async Task<PortalResult<T>> SendAsync<T>(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var client = await ClientAsync(cancellationToken);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: DesignerJson.Options);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new(default, await RefusalAsync(response, cancellationToken));
        }

        var value = response.Content.Headers.ContentLength == 0 ? default : await response.Content.ReadFromJsonAsync<T>(DesignerJson.Options, cancellationToken);
        return new(value, null);
    }

    private static async Task<PortalRefusal> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        JsonObject? problem = null;
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true)
        {
            problem = await response.Content.ReadFromJsonAsync<JsonObject>(DesignerJson.Options, cancellationToken);
        }

        var type = problem?["type"]?.GetValue<string>() ?? "";
        var name = type.StartsWith("urn:yishi:problem:", StringComparison.Ordinal) ? type["urn:yishi:problem:".Length..] : "";
        return new PortalRefusal((int)response.StatusCode, name, problem?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? "", problem?["detail"]?.GetValue<string>());
    }
}
