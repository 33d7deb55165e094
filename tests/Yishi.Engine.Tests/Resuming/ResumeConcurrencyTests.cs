using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Resuming;

public sealed class ResumeConcurrencyTests
{
    [Fact]
    public async Task Resume_HundredParallelResumesOfOneBookmark_ExactlyOneSucceeds()
    {
        await using var engine = new TestEngine();
        await engine.PublishFileAsync("approval.json");
        var started = await engine.StartAsync("approval");
        var bookmarkId = started.Bookmarks[0].Id;

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() =>
            engine.ResumeAsync(bookmarkId, i % 2 == 0 ? "approve" : "reject", Json.Object($$"""{ "summary": "attempt {{i}}" }""")), TestEngine.Cancellation)));

        Assert.Single(results, r => r.Status == StepStatus.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal((StepStatus.Conflict, ConflictReason.BookmarkConsumed), (r.Status, r.Conflict)));
        var journal = await engine.JournalAsync(started.InstanceId!);
        Assert.Single(journal, e => e.Kind == JournalKind.BookmarkResumed);
        Assert.Single(journal, e => e.Kind == JournalKind.InstanceCompleted);
        Assert.Equal(Enumerable.Range(0, journal.Count).Select(i => (long)i), journal.Select(e => e.Sequence));
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(started.InstanceId!));
    }

    [Fact]
    public async Task Resume_BothForkBranchesInParallel_BothCountAtTheJoin()
    {
        await using var engine = new TestEngine();
        await engine.PublishFileAsync("fork-join-all.json");
        var started = await engine.StartAsync("fork-join-all");

        var results = await Task.WhenAll(started.Bookmarks.Select(b => Task.Run(() => engine.ResumeAsync(b.Id, "signed"), TestEngine.Cancellation)));

        Assert.All(results, r => Assert.Equal(StepStatus.Succeeded, r.Status));
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(started.InstanceId!));
        Assert.Single(await engine.JournalAsync(started.InstanceId!), e => e.ActivityId == "end");
    }
}
