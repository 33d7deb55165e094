using System.Text.Json.Nodes;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Contract;

public abstract partial class StoreContract<TProvider>
{
    [Fact]
    public async Task Commit_NewInstance_IsReadBackWithStateBookmarkAndJournal()
    {
        var (instance, bookmark) = await SeedAsync(due: Clock.GetUtcNow().AddDays(3));

        var read = await Store.FindInstanceAsync(instance.Id, Ct);
        var pair = await Store.FindBookmarkWithInstanceAsync(bookmark.Id, Ct);
        var journal = await Store.ReadJournalAsync(instance.Id, cancellationToken: Ct);

        Assert.NotNull(read);
        Assert.Equal(instance.CorrelationKey, read.CorrelationKey);
        Assert.Equal(InstanceStatus.Waiting, read.Status);
        Assert.Equal(1, read.Version);
        Assert.Equal("邻里噪音纠纷", read.State.Variables["caseTitle"]!.GetValue<string>());
        Assert.Equal(12.5, read.State.Variables["amount"]!.GetValue<double>());
        Assert.Equal(7, read.State.NextId);
        Assert.NotNull(pair);
        Assert.Equal(bookmark.Id, pair.Value.Bookmark.Id);
        Assert.Equal(Clock.GetUtcNow().AddDays(3), pair.Value.Bookmark.DueAt);
        Assert.Equal("审查", pair.Value.Bookmark.Payload!["title"]!["zh-CN"]!.GetValue<string>());
        Assert.Null(pair.Value.Bookmark.ConsumedAt);
        Assert.Equal(instance.Id, pair.Value.Instance.Id);
        Assert.Equal(JournalKind.InstanceStarted, Assert.Single(journal).Kind);
    }

    [Fact]
    public async Task Commit_StaleInstanceVersion_IsRefusedAndWritesNothing()
    {
        var (instance, bookmark) = await SeedAsync();
        var first = Step(instance, 1, bookmark.Id, 1);
        Assert.True((await CommitOneAsync(first)).Committed);
        var otherBookmark = NewBookmark(instance);
        var stale = Step(instance, 1, bookmark.Id, 2) with { CreatedBookmarks = [otherBookmark] };

        var outcome = await CommitOneAsync(stale);

        Assert.Equal(ConflictReason.InstanceChanged, outcome.Conflict);
        Assert.Equal(2, (await Store.ReadJournalAsync(instance.Id, cancellationToken: Ct)).Count);
        Assert.Null(await Store.FindBookmarkAsync(otherBookmark.Id, Ct));
        Assert.Equal(2, (await Store.FindInstanceAsync(instance.Id, Ct))!.Version);
    }

    [Fact]
    public async Task Commit_ConsumedBookmark_SecondConsumerIsRefused()
    {
        var (instance, bookmark) = await SeedAsync();
        Assert.True((await CommitOneAsync(Step(instance, 1, bookmark.Id, 1))).Committed);
        // Same bookmark, current version: only the bookmark check can refuse it.
        var again = Step(instance, 2, bookmark.Id, 2);

        var outcome = await CommitOneAsync(again);

        Assert.Equal(ConflictReason.BookmarkConsumed, outcome.Conflict);
        Assert.NotNull((await Store.FindBookmarkAsync(bookmark.Id, Ct))!.ConsumedAt);
        Assert.Equal(2, (await Store.FindInstanceAsync(instance.Id, Ct))!.Version);
    }

    [Fact]
    public async Task CommitBatch_RefusedItem_DoesNotFailItsNeighbours()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        var c = await SeedAsync();
        var stale = Step(b.Instance, 5, b.Bookmark.Id, 1);

        var outcomes = await Store.CommitAsync([Step(a.Instance, 1, a.Bookmark.Id, 1), stale, Step(c.Instance, 1, c.Bookmark.Id, 1)], Ct);

        Assert.True(outcomes[0].Committed);
        Assert.Equal(ConflictReason.InstanceChanged, outcomes[1].Conflict);
        Assert.True(outcomes[2].Committed);
        Assert.Equal(InstanceStatus.Completed, (await Store.FindInstanceAsync(a.Instance.Id, Ct))!.Status);
        Assert.Equal(InstanceStatus.Waiting, (await Store.FindInstanceAsync(b.Instance.Id, Ct))!.Status);
        Assert.Null((await Store.FindBookmarkAsync(b.Bookmark.Id, Ct))!.ConsumedAt);
        Assert.Equal(InstanceStatus.Completed, (await Store.FindInstanceAsync(c.Instance.Id, Ct))!.Status);
    }

    [Fact]
    public async Task CommitBatch_ItemThatFailsInTheDatabase_FailsAlone()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        // Journal sequence 0 of b exists already: a key violation inside the shared transaction.
        var broken = Step(b.Instance, 1, b.Bookmark.Id, 0);

        var outcomes = await Store.CommitAsync([broken, Step(a.Instance, 1, a.Bookmark.Id, 1)], Ct);

        Assert.False(outcomes[0].Committed);
        Assert.True(outcomes[1].Committed);
        Assert.Equal(1, (await Store.FindInstanceAsync(b.Instance.Id, Ct))!.Version);
        Assert.Null((await Store.FindBookmarkAsync(b.Bookmark.Id, Ct))!.ConsumedAt);
        Assert.Equal(2, (await Store.FindInstanceAsync(a.Instance.Id, Ct))!.Version);
    }

    [Fact]
    public async Task Commit_DuplicateNewInstance_IsNotApplied()
    {
        var (instance, _) = await SeedAsync();
        var duplicate = NewInstance(instance.Id);
        duplicate.State.Variables["caseTitle"] = "changed";

        var outcome = await CommitOneAsync(new WorkflowCommit { Instances = [new InstanceWrite(duplicate, 0)] });

        Assert.False(outcome.Committed);
        Assert.Equal("邻里噪音纠纷", (await Store.FindInstanceAsync(instance.Id, Ct))!.State.Variables["caseTitle"]!.GetValue<string>());
    }

    [Fact]
    public async Task Queries_UnknownIds_ReturnNothing()
    {
        Assert.Null(await Store.FindInstanceAsync("missing", Ct));
        Assert.Null(await Store.FindBookmarkAsync("missing", Ct));
        Assert.Null(await Store.FindBookmarkWithInstanceAsync("missing", Ct));
        Assert.Empty(await Store.ReadJournalAsync("missing", cancellationToken: Ct));
    }

    [Fact]
    public async Task QueryInstances_FiltersByStatusDefinitionAndKey_NewestFirst()
    {
        var first = await SeedAsync();
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await SeedAsync();
        Assert.True((await CommitOneAsync(Step(first.Instance, 1, first.Bookmark.Id, 1))).Committed);

        var waiting = await Store.QueryInstancesAsync(new InstanceQuery { Status = InstanceStatus.Waiting }, Ct);
        var all = await Store.QueryInstancesAsync(new InstanceQuery { DefinitionId = "contract" }, Ct);
        var byKey = await Store.QueryInstancesAsync(new InstanceQuery { CorrelationKey = second.Instance.CorrelationKey }, Ct);

        Assert.Equal([second.Instance.Id], waiting.Select(i => i.Id));
        Assert.Equal([second.Instance.Id, first.Instance.Id], all.Select(i => i.Id));
        Assert.Equal(second.Instance.Id, Assert.Single(byKey).Id);
    }

    [Fact]
    public async Task Journal_ReadsInOrderFromASequence()
    {
        var (instance, _) = await SeedAsync();
        var more = Enumerable.Range(1, 5).Select(i => Entry(instance, i, JournalKind.ActivityCompleted) with { ActivityId = "a" + i, Data = new JsonObject { ["n"] = i } });
        var next = NewInstance(instance.Id);
        next.Version = 2;
        Assert.True((await CommitOneAsync(new WorkflowCommit { Instances = [new InstanceWrite(next, 1)], Journal = [.. more] })).Committed);

        var tail = await Store.ReadJournalAsync(instance.Id, fromSequence: 3, cancellationToken: Ct);

        Assert.Equal([3L, 4L, 5L], tail.Select(e => e.Sequence));
        Assert.Equal("a4", tail[1].ActivityId);
        Assert.Equal(4, tail[1].Data!["n"]!.GetValue<int>());
    }
}
