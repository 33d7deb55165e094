using Yishi.Engine.Activities;
using Yishi.Engine.Execution;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Contract;

public abstract partial class StoreContract<TProvider>
{
    [Fact]
    public async Task Claim_FirstPersonTakesTheTask_OthersConflictAndCannotCompleteIt()
    {
        await using var runtime = await RuntimeAsync();
        var started = await runtime.StartAsync(new StartRequest("hello-mediation"), Ct);
        var task = started.Bookmarks[0].Id;
        var wang = Actor.User("u-wang", "mediator");
        var li = Actor.User("u-li", "mediator");

        var claimed = await runtime.ClaimAsync(task, wang, Ct);
        var again = await runtime.ClaimAsync(task, wang, Ct);
        var late = await runtime.ClaimAsync(task, li, Ct);
        var byOther = await runtime.ResumeAsync(new ResumeRequest(task, new ResumeInput("decline"), li), Ct);
        var byHolder = await runtime.ResumeAsync(new ResumeRequest(task, new ResumeInput("decline"), wang), Ct);

        Assert.Equal("u-wang", claimed.Bookmarks[0].UserId);
        Assert.True(again.Succeeded);
        Assert.Equal(ConflictReason.TaskClaimed, late.Conflict);
        Assert.Equal(StepStatus.Forbidden, byOther.Status);
        Assert.True(byHolder.Succeeded);
        var journal = await runtime.ReadJournalAsync(started.InstanceId!, cancellationToken: Ct);
        Assert.Single(journal, e => e.Kind == JournalKind.TaskClaimed && e.ActorId == "u-wang");
    }

    [Fact]
    public async Task Claim_TwentyPeopleAtOnce_ExactlyOneGetsTheTask()
    {
        await using var runtime = await RuntimeAsync();
        var started = await runtime.StartAsync(new StartRequest("hello-mediation"), Ct);
        var task = started.Bookmarks[0].Id;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => runtime.ClaimAsync(task, Actor.User($"u-{i}", "mediator"), Ct))));

        var winner = Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(ConflictReason.TaskClaimed, r.Conflict));
        Assert.Equal(winner.Bookmarks[0].UserId, (await Store.FindBookmarkAsync(task, Ct))!.UserId);
        Assert.Single(await runtime.ReadJournalAsync(started.InstanceId!, cancellationToken: Ct), e => e.Kind == JournalKind.TaskClaimed);
    }
}
