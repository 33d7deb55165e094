using Yishi.Engine.Activities;
using Yishi.Engine.Execution;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Contract;

public abstract partial class StoreContract<TProvider>
{
    [Fact]
    public async Task Assign_ReplacesTheHolder_IsJournalledWithTheReason_AndLosesToACompletion()
    {
        await using var runtime = await RuntimeAsync();
        var started = await runtime.StartAsync(new StartRequest("hello-mediation"), Ct);
        var task = started.Bookmarks[0].Id;
        var wang = Actor.User("u-wang", "mediator");
        var li = Actor.User("u-li", "mediator");
        var boss = Actor.User("u-boss", "supervisor");

        await runtime.ClaimAsync(task, wang, Ct);
        var assigned = await runtime.AssignAsync(task, "u-li", "王调解员休假", boss, Ct);
        var byOldHolder = await runtime.ResumeAsync(new ResumeRequest(task, new ResumeInput("decline"), wang), Ct);
        var byNewHolder = await runtime.ResumeAsync(new ResumeRequest(task, new ResumeInput("decline"), li), Ct);
        var afterwards = await runtime.AssignAsync(task, "u-wang", "改回", boss, Ct);

        Assert.Equal("u-li", assigned.Bookmarks[0].UserId);
        Assert.Equal(StepStatus.Forbidden, byOldHolder.Status);
        Assert.True(byNewHolder.Succeeded);
        Assert.Equal(ConflictReason.BookmarkConsumed, afterwards.Conflict);
        var journal = await runtime.ReadJournalAsync(started.InstanceId!, cancellationToken: Ct);
        var entry = Assert.Single(journal, e => e.Kind == JournalKind.TaskClaimed && e.ActorId == "u-boss");
        Assert.Equal("王调解员休假", entry.Message);
        Assert.Equal("u-li", entry.Data!["to"]!.GetValue<string>());
        Assert.Equal("u-wang", entry.Data!["from"]!.GetValue<string>());
    }
}
