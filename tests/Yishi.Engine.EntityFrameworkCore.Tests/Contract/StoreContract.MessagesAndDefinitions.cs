using Yishi.Engine.Definitions;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Contract;

public abstract partial class StoreContract<TProvider>
{
    [Fact]
    public async Task Messages_StoredFoundConsumedOnceAndPurged()
    {
        var now = Clock.GetUtcNow();
        var early = Message("hotline.update", "T-1", now, TimeSpan.FromHours(1));
        var later = Message("hotline.update", "T-1", now.AddSeconds(1), TimeSpan.FromDays(1));
        Assert.True((await CommitOneAsync(new WorkflowCommit { StoredMessages = [early, later] })).Committed);

        var found = await Store.FindPendingMessagesAsync("hotline.update", "T-1", now, Ct);
        var first = await CommitOneAsync(new WorkflowCommit { ConsumedMessageIds = [early.Id] });
        var second = await CommitOneAsync(new WorkflowCommit { ConsumedMessageIds = [early.Id] });
        var afterExpiry = await Store.FindPendingMessagesAsync("hotline.update", "T-1", now.AddDays(2), Ct);
        var purged = await Store.PurgeExpiredMessagesAsync(now.AddDays(2), Ct);

        Assert.Equal([early.Id, later.Id], found.Select(m => m.Id));
        Assert.Equal("T-1", found[0].Payload!["ticket"]!.GetValue<string>());
        Assert.True(first.Committed);
        Assert.Equal(ConflictReason.MessageConsumed, second.Conflict);
        Assert.Empty(afterExpiry);
        Assert.Equal(1, purged);
    }

    [Fact]
    public async Task Messages_KeepTheirSendersScope()
    {
        var now = Clock.GetUtcNow();
        var scoped = Message("hotline.update", "T-2", now, TimeSpan.FromHours(1)) with { Scope = "/s1/c2/" };
        var unscoped = Message("hotline.update", "T-2", now.AddSeconds(1), TimeSpan.FromHours(1));
        Assert.True((await CommitOneAsync(new WorkflowCommit { StoredMessages = [scoped, unscoped] })).Committed);

        var found = await Store.FindPendingMessagesAsync("hotline.update", "T-2", now, Ct);

        Assert.Equal(["/s1/c2/", null], found.Select(m => m.Scope));
    }

    [Fact]
    public async Task Outbox_ReadInOrder_CompletedOnce()
    {
        var (instance, _) = await SeedAsync();
        var first = OutboxRow(instance, Clock.GetUtcNow());
        var second = OutboxRow(instance, Clock.GetUtcNow().AddSeconds(1));
        Assert.True((await CommitOneAsync(new WorkflowCommit { Outbox = [second, first] })).Committed);

        var rows = await Store.ReadOutboxAsync(10, Ct);
        var done = await CommitOneAsync(new WorkflowCommit { CompletedOutboxIds = [first.Id] });
        var again = await CommitOneAsync(new WorkflowCommit { CompletedOutboxIds = [first.Id] });

        Assert.Equal([first.Id, second.Id], rows.Select(r => r.Id));
        Assert.Equal("x", rows[0].Payload["bookmarkId"]!.GetValue<string>());
        Assert.True(done.Committed);
        Assert.Equal(ConflictReason.OutboxCompleted, again.Conflict);
        Assert.Equal(second.Id, Assert.Single(await Store.ReadOutboxAsync(10, Ct)).Id);
    }

    [Fact]
    public async Task Definitions_VersionRules()
    {
        var at = Clock.GetUtcNow();
        var id = "def-" + Guid.NewGuid().ToString("N")[..8];
        Assert.True(await Store.InsertDefinitionAsync(Version(id, 1, DefinitionStatus.Draft, at), Ct));
        Assert.False(await Store.InsertDefinitionAsync(Version(id, 1, DefinitionStatus.Draft, at), Ct));

        Assert.True(await Store.UpdateDraftAsync(id, 1, "{\"edited\":true}", "h2", at.AddMinutes(1), Ct));
        Assert.True(await Store.ChangeStatusAsync(id, 1, DefinitionStatus.Draft, DefinitionStatus.Published, at.AddMinutes(2), Ct));
        Assert.False(await Store.UpdateDraftAsync(id, 1, "{\"overwrite\":true}", "h3", at.AddMinutes(3), Ct));
        Assert.False(await Store.ChangeStatusAsync(id, 1, DefinitionStatus.Draft, DefinitionStatus.Published, at.AddMinutes(3), Ct));
        Assert.True(await Store.InsertDefinitionAsync(Version(id, 2, DefinitionStatus.Draft, at), Ct));

        var published = await Store.FindDefinitionAsync(id, 1, Ct);
        var versions = await Store.ListVersionsAsync(id, Ct);
        var everything = await Store.ListDefinitionsAsync(Ct);

        Assert.NotNull(published);
        Assert.Equal(DefinitionStatus.Published, published.Status);
        Assert.Equal("{\"edited\":true}", published.Json);
        Assert.Equal(at.AddMinutes(2), published.PublishedAt);
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Contains(everything, v => v.DefinitionId == id && v.Version == 2);
        Assert.Null(await Store.FindDefinitionAsync(id, 3, Ct));
    }
}
