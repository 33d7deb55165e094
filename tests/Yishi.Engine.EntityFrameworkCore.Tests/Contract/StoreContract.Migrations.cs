using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Yishi.Engine.Activities;
using Yishi.Engine.Definitions;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Migrations;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Contract;

/// <summary>Publish notes and instance migrations on each store.</summary>
public abstract partial class StoreContract<TProvider>
{
    private static string Review(string reviewId, string label) => $$"""
        {
          "definitionId": "migrating",
          "name": "Migrating",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "intake", "type": "HumanTask", "properties": { "title": "登记", "assignee": { "role": "clerk" } } },
            { "id": "{{reviewId}}", "type": "HumanTask", "properties": { "title": "审查", "assignee": { "role": "mediator" }, "due": { "workingDays": 5 } } },
            { "id": "end", "type": "End", "properties": { "result": "\"{{label}}\"" } }
          ],
          "connections": [ { "from": "start", "to": "intake" }, { "from": "intake", "to": "{{reviewId}}" }, { "from": "{{reviewId}}", "to": "end" } ]
        }
        """;

    [Fact]
    public async Task Definitions_PublishDraft_StoresTheNoteAndThePublisher_Once()
    {
        var at = Clock.GetUtcNow();
        var id = "def-" + Guid.NewGuid().ToString("N")[..8];
        Assert.True(await Store.InsertDefinitionAsync(Version(id, 1, DefinitionStatus.Draft, at), Ct));

        var first = await Store.PublishDraftAsync(id, 1, new Publication(" 调解期限由30日改为20日 ", "u-staff"), at.AddMinutes(1), Ct);
        var second = await Store.PublishDraftAsync(id, 1, new Publication("覆盖", "u-other"), at.AddMinutes(2), Ct);
        var stored = await Store.FindDefinitionAsync(id, 1, Ct);
        var listed = Assert.Single(await Store.ListVersionsAsync(id, Ct));

        Assert.True(first);
        Assert.False(second);
        Assert.Equal((DefinitionStatus.Published, at.AddMinutes(1), "调解期限由30日改为20日", "u-staff"), (stored!.Status, stored.PublishedAt, stored.PublishNote, stored.PublishedBy));
        Assert.Equal((stored.PublishNote, stored.PublishedBy), (listed.PublishNote, listed.PublishedBy));
    }

    [Fact]
    public async Task Commit_VersionChangeAndBookmarkMove_MoveTheCaseAndKeepTheBookmark()
    {
        var (instance, bookmark) = await SeedAsync(due: Clock.GetUtcNow().AddDays(5));
        var migrated = NewInstance(instance.Id);
        migrated.Version = 2;

        var outcome = await CommitOneAsync(new WorkflowCommit
        {
            Instances = [new InstanceWrite(migrated, 1, StatusChanged: false)],
            Journal = [Entry(instance, 1, JournalKind.InstanceMigrated) with { Data = new JsonObject { ["fromVersion"] = 1, ["toVersion"] = 2 } }],
            VersionChanges = [new VersionChange(instance.Id, 1, 2)],
            BookmarkMoves = [new BookmarkMove(bookmark.Id, "review", "mediate")],
        });

        Assert.True(outcome.Committed, outcome.Error?.ToString());
        var stored = await Store.FindInstanceAsync(instance.Id, Ct);
        Assert.Equal((2, 2L), (stored!.DefinitionVersion, stored.Version));
        Assert.Equal(2, Assert.Single(await Store.QueryInstancesAsync(new InstanceQuery { Ids = [instance.Id] }, Ct)).DefinitionVersion);
        var moved = await Store.FindBookmarkAsync(bookmark.Id, Ct);
        Assert.Equal(("mediate", bookmark.DueAt, bookmark.TokenId, (DateTimeOffset?)null), (moved!.ActivityId, moved.DueAt, moved.TokenId, moved.ConsumedAt));
        Assert.Equal(bookmark.Payload!.ToJsonString(), moved.Payload!.ToJsonString());
        var entry = (await Store.ReadJournalAsync(instance.Id, 1, cancellationToken: Ct)).Single();
        Assert.Equal((JournalKind.InstanceMigrated, 2), (entry.Kind, entry.Data!["toVersion"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Commit_VersionChangeFromAnotherVersion_IsRefusedAndWritesNothing()
    {
        var (instance, bookmark) = await SeedAsync();
        var migrated = NewInstance(instance.Id);
        migrated.Version = 2;

        var outcome = await CommitOneAsync(new WorkflowCommit
        {
            Instances = [new InstanceWrite(migrated, 1, StatusChanged: false)],
            Journal = [Entry(instance, 1, JournalKind.InstanceMigrated)],
            VersionChanges = [new VersionChange(instance.Id, 3, 4)],
            BookmarkMoves = [new BookmarkMove(bookmark.Id, "review", "mediate")],
        });

        Assert.Equal(ConflictReason.InstanceChanged, outcome.Conflict);
        var stored = await Store.FindInstanceAsync(instance.Id, Ct);
        Assert.Equal((1, 1L), (stored!.DefinitionVersion, stored.Version));
        Assert.Equal("review", (await Store.FindBookmarkAsync(bookmark.Id, Ct))!.ActivityId);
        Assert.Single(await Store.ReadJournalAsync(instance.Id, cancellationToken: Ct));
    }

    [Fact]
    public async Task Commit_BookmarkMoveOfAConsumedBookmark_IsRefusedAndWritesNothing()
    {
        var (instance, bookmark) = await SeedAsync();
        Assert.True((await CommitOneAsync(Step(instance, 1, bookmark.Id, 1) with { Instances = [new InstanceWrite(WaitingCopy(instance, 2), 1)] })).Committed);
        var migrated = WaitingCopy(instance, 3);

        var outcome = await CommitOneAsync(new WorkflowCommit
        {
            Instances = [new InstanceWrite(migrated, 2, StatusChanged: false)],
            Journal = [Entry(instance, 2, JournalKind.InstanceMigrated)],
            VersionChanges = [new VersionChange(instance.Id, 1, 2)],
            BookmarkMoves = [new BookmarkMove(bookmark.Id, "review", "mediate")],
        });

        Assert.Equal(ConflictReason.BookmarkConsumed, outcome.Conflict);
        var stored = await Store.FindInstanceAsync(instance.Id, Ct);
        Assert.Equal((1, 2L), (stored!.DefinitionVersion, stored.Version));
        Assert.Equal(2, (await Store.ReadJournalAsync(instance.Id, cancellationToken: Ct)).Count);
    }

    [Fact]
    public async Task Runtime_MigrateWithRename_KeepsTheOpenTask_AndTheCaseEndsOnTheNewVersion()
    {
        await using var runtime = new WorkflowRuntime(Store, Clock, new WorkflowRuntimeOptions { CommitWriters = CommitWriters });
        Assert.True((await runtime.Definitions.PublishDocumentAsync(Review("review", "v1"), Ct)).Succeeded);
        var started = await runtime.StartAsync(new StartRequest("migrating"), Ct);
        var intake = await runtime.ResumeAsync(new ResumeRequest(started.Bookmarks[0].Id, new ResumeInput(), Actor.System), Ct);
        var task = Assert.Single(intake.Bookmarks);
        Assert.True((await runtime.Definitions.PublishDocumentAsync(Review("mediate", "v2"), Ct)).Succeeded);
        var request = new MigrationRequest("migrating", 2, ImmutableDictionary<string, string>.Empty.Add("review", "mediate"));

        var result = await runtime.MigrateAsync(request, started.InstanceId!, Actor.User("u-designer", "designer"), Ct);
        var again = await runtime.MigrateAsync(request, started.InstanceId!, Actor.User("u-designer", "designer"), Ct);
        var moved = await runtime.QueryBookmarksAsync(new BookmarkQuery { InstanceId = started.InstanceId }, Ct);
        var done = await runtime.ResumeAsync(new ResumeRequest(task.Id, new ResumeInput(), Actor.System), Ct);

        Assert.Equal(MigrationStatus.Migrated, result.Status);
        Assert.Equal([MigrationCodes.NotNewer], again.Plan!.Problems.Select(p => p.Code));
        var open = Assert.Single(moved);
        Assert.Equal((task.Id, "mediate", task.DueAt), (open.Id, open.ActivityId, open.DueAt));
        Assert.Equal(InstanceStatus.Completed, done.InstanceStatus);
        Assert.Equal("v2", done.Result!.GetValue<string>());
        var journal = await runtime.ReadJournalAsync(started.InstanceId!, cancellationToken: Ct);
        Assert.Single(journal, e => e.Kind == JournalKind.InstanceMigrated);
        Assert.Single(journal, e => e.Kind == JournalKind.ActivityCompleted && e.ActivityId == "intake");
        Assert.Equal(2, (await runtime.FindInstanceAsync(started.InstanceId!, Ct))!.DefinitionVersion);
    }

    private WorkflowInstance WaitingCopy(WorkflowInstance instance, long version)
    {
        var copy = NewInstance(instance.Id);
        copy.Version = version;
        return copy;
    }
}
