using System.Text.Json.Nodes;

namespace Yishi.Designer.Tests.Browser;

/// <summary>Steps the workbench's case-file tests take over the API, as the person would from another page or system.</summary>
internal static class CaseFileSteps
{
    /// <summary>A time a week from now in Beijing time as a <c>datetime-local</c> input takes it: the server process runs on the system clock, so "not in the past" is judged by it.</summary>
    public static string AWeekAheadInBeijing() =>
        TimeProvider.System.GetUtcNow().AddDays(7).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'14:30", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Completes the case's open task at <paramref name="activityId"/> as <paramref name="userName"/>.</summary>
    public static async Task CompleteTaskAsync(this DesignerBrowser browser, string instanceId, string activityId, string outcome, JsonObject? data, string userName,
        CancellationToken cancellationToken)
    {
        using var client = await browser.ApiAsync(userName, cancellationToken);
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
