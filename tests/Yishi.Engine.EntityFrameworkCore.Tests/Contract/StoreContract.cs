using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Messages;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Contract;

/// <summary>
/// What every store must do, written once and run on each provider (SQLite, PostgreSQL, in memory).
/// </summary>
public abstract partial class StoreContract<TProvider> : IAsyncLifetime where TProvider : IStoreProvider, new()
{
    private readonly TProvider _provider = new();

    protected IWorkflowStore Store { get; private set; } = null!;

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    protected int CommitWriters => _provider.CommitWriters;

    public async ValueTask InitializeAsync() => Store = await _provider.CreateAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        await _provider.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected WorkflowInstance NewInstance(string? id = null) => new()
    {
        Id = id ?? Guid.NewGuid().ToString("N"),
        DefinitionId = "contract",
        DefinitionVersion = 1,
        Status = InstanceStatus.Waiting,
        CorrelationKey = "case-" + Guid.NewGuid().ToString("N")[..8],
        CreatedAt = Clock.GetUtcNow(),
        UpdatedAt = Clock.GetUtcNow(),
        Version = 1,
        State = new InstanceState { Variables = new JsonObject { ["caseTitle"] = "邻里噪音纠纷", ["amount"] = 12.5 }, NextId = 7, NextJournalSequence = 1 },
    };

    protected Bookmark NewBookmark(WorkflowInstance instance, string? role = "mediator", string? user = null, DateTimeOffset? due = null, BookmarkKind kind = BookmarkKind.HumanTask) => new()
    {
        Id = instance.Id + "-b" + Guid.NewGuid().ToString("N")[..6],
        InstanceId = instance.Id,
        DefinitionId = instance.DefinitionId,
        ActivityId = "review",
        ActivityType = "HumanTask",
        TokenId = instance.Id + "-t1",
        Kind = kind,
        CreatedAt = Clock.GetUtcNow(),
        DueAt = due,
        Role = role,
        UserId = user,
        Payload = new JsonObject { ["title"] = new JsonObject { ["zh-CN"] = "审查" } },
    };

    protected JournalEntry Entry(WorkflowInstance instance, long sequence, JournalKind kind = JournalKind.InstanceStarted) =>
        new(instance.Id, sequence, Clock.GetUtcNow(), kind) { ActorId = "system" };

    /// <summary>Inserts an instance with one open bookmark.</summary>
    protected async Task<(WorkflowInstance Instance, Bookmark Bookmark)> SeedAsync(string? role = "mediator", string? user = null, DateTimeOffset? due = null)
    {
        var instance = NewInstance();
        var bookmark = NewBookmark(instance, role, user, due);
        var outcome = await CommitOneAsync(new WorkflowCommit
        {
            Instances = [new InstanceWrite(instance, 0)],
            CreatedBookmarks = [bookmark],
            Journal = [Entry(instance, 0)],
        });
        Assert.True(outcome.Committed, outcome.Error?.ToString());
        return (instance, bookmark);
    }

    protected async Task<CommitOutcome> CommitOneAsync(WorkflowCommit commit) => (await Store.CommitAsync([commit], Ct))[0];

    /// <summary>A step on an existing instance: consume its bookmark, bump its version.</summary>
    protected WorkflowCommit Step(WorkflowInstance instance, long expectedVersion, string bookmarkId, long journalSequence)
    {
        var next = NewInstance(instance.Id);
        next.Version = expectedVersion + 1;
        next.Status = InstanceStatus.Completed;
        return new WorkflowCommit
        {
            Instances = [new InstanceWrite(next, expectedVersion)],
            ConsumedBookmarkIds = [bookmarkId],
            Journal = [Entry(instance, journalSequence, JournalKind.BookmarkResumed)],
        };
    }

    protected static PendingMessage Message(string name, string key, DateTimeOffset at, TimeSpan ttl) =>
        new(Guid.NewGuid().ToString("N"), name, key, new JsonObject { ["ticket"] = key }, at, at + ttl);

    protected static OutboxMessage OutboxRow(WorkflowInstance instance, DateTimeOffset at) =>
        new(Guid.NewGuid().ToString("N"), instance.Id, OutboxKinds.ResumeParent, new JsonObject { ["bookmarkId"] = "x" }, at);

    protected static DefinitionVersion Version(string id, int version, DefinitionStatus status, DateTimeOffset at) =>
        new(id, version, status, "{\"definitionId\":\"" + id + "\"}", "hash" + version, at, at, status == DefinitionStatus.Published ? at : null);
}
