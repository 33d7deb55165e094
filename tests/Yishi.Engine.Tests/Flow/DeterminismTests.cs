using System.Globalization;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Flow;

/// <summary>The same definition, input and clock give the same run, on any fresh store.</summary>
public sealed class DeterminismTests
{
    [Fact]
    public async Task SameDefinitionInputAndClock_OnTwoFreshStores_GiveTheSameJournal()
    {
        var first = await RunMediationAsync();
        var second = await RunMediationAsync();

        Assert.Equal(first.Journal, second.Journal);
        Assert.Equal(first.BookmarkIds, second.BookmarkIds);
        Assert.Equal(first.Result, second.Result);
        Assert.NotEqual(first.InstanceId, second.InstanceId);
    }

    [Fact]
    public async Task MediationRun_MatchesGoldenJournal()
    {
        var run = await RunMediationAsync();

        DefinitionFiles.AssertMatches("mediation.journal.txt", run.Journal);
        Assert.Equal("""{"case":"2025-031","agreed":true}""", run.Result);
    }

    private sealed record Run(string InstanceId, IReadOnlyList<string> Journal, IReadOnlyList<string> BookmarkIds, string Result);

    /// <summary>A scripted run: both hearings, an agreed session, the cooling-off timer.</summary>
    private static async Task<Run> RunMediationAsync()
    {
        await using var engine = new TestEngine();
        await engine.PublishFileAsync("mediation.json");
        var mediator = Actor.User("m-1", "mediator");
        var started = await engine.StartAsync("mediation", Json.Object("""{ "caseNo": "2025-031" }"""));
        var id = started.InstanceId!;
        var bookmarks = new List<string>();

        foreach (var hearing in new[] { "hearRespondent", "hearApplicant" })
        {
            engine.Clock.Advance(TimeSpan.FromHours(2));
            var task = await engine.OpenBookmarkAsync(id, hearing);
            bookmarks.Add(task.Id);
            await engine.CompleteAsync(task.Id, "heard", actor: mediator);
        }

        var session = await engine.OpenBookmarkAsync(id, "session");
        bookmarks.Add(session.Id);
        await engine.CompleteAsync(session.Id, "agreed", Json.Object("""{ "agreed": true }"""), mediator);
        var timer = await engine.OpenBookmarkAsync(id, "coolOff");
        bookmarks.Add(timer.Id);
        engine.Clock.Advance(TimeSpan.FromDays(3));
        var done = await engine.CompleteAsync(timer.Id);
        Assert.Equal(InstanceStatus.Completed, done.InstanceStatus);

        var journal = (await engine.JournalAsync(id)).Select(e => Describe(e, id)).ToList();
        return new Run(id, journal, [.. bookmarks.Select(b => Local(b, id))], Json.Text(done.Result));
    }

    private static string Describe(JournalEntry entry, string instanceId) => string.Join(" ", new[]
    {
        entry.Sequence.ToString(CultureInfo.InvariantCulture),
        entry.At.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        entry.Kind.ToString(),
        entry.ActivityId,
        entry.Outcome is { Length: > 0 } outcome ? "by:" + outcome : null,
        entry.BookmarkId is { } bookmark ? Local(bookmark, instanceId) : null,
        entry.ActorId,
    }.Where(part => part is not null));

    /// <summary>Ids embed the instance id (random per run); everything around it must repeat exactly.</summary>
    private static string Local(string id, string instanceId)
    {
        Assert.Contains(instanceId, id, StringComparison.Ordinal);
        return id.Replace(instanceId, "{instance}", StringComparison.Ordinal);
    }
}
