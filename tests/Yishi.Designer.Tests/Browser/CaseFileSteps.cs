using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Tests.Browser;

/// <summary>Steps the workbench's case-file tests take over the API, as the person would from another page or system.</summary>
internal static class CaseFileSteps
{
    /// <summary>An API client signed in as <paramref name="userName"/> (bearer token), on the server itself.</summary>
    public static async Task<HttpClient> ApiClientAsync(this DesignerBrowser browser, string userName, CancellationToken cancellationToken, string password = "Demo123!")
    {
        var client = new HttpClient { BaseAddress = browser.ServerAddress };
        using var login = await client.PostAsync(new Uri("api/auth/login", UriKind.Relative),
            new StringContent(new JsonObject { ["userName"] = userName, ["password"] = password }.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        var body = await login.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(login.IsSuccessStatusCode, body);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonNode.Parse(body)!["accessToken"]!.GetValue<string>());
        return client;
    }

    /// <summary>Sends JSON and answers the body, asserting success.</summary>
    public static async Task<JsonNode> SendJsonAsync(this HttpClient client, HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>A time a week from now in Beijing time as a <c>datetime-local</c> input takes it: the server process runs on the system clock, so "not in the past" is judged by it.</summary>
    public static string AWeekAheadInBeijing() =>
        TimeProvider.System.GetUtcNow().AddDays(7).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'14:30", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Completes the case's open task at <paramref name="activityId"/> as <paramref name="userName"/>.</summary>
    public static async Task CompleteTaskAsync(this DesignerBrowser browser, string instanceId, string activityId, string outcome, JsonObject? data, string userName,
        CancellationToken cancellationToken)
    {
        using var client = await browser.ApiClientAsync(userName, cancellationToken);
        var tasks = (await client.SendJsonAsync(HttpMethod.Get, $"api/tasks?instanceId={instanceId}", null, cancellationToken)).AsArray();
        var task = tasks.FirstOrDefault(t => t!["activityId"]!.GetValue<string>() == activityId)
            ?? throw new InvalidOperationException($"No open task '{activityId}' for {userName}: {tasks.ToJsonString()}");
        await client.SendJsonAsync(HttpMethod.Post, $"api/tasks/{task["id"]!.GetValue<string>()}/complete",
            new JsonObject { ["outcome"] = outcome, ["data"] = data ?? new JsonObject() }, cancellationToken);
    }

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds, for at most a minute.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(1);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Still not there after a minute: {value}");
            await Task.Delay(250, cancellationToken);
        }
    }
}
