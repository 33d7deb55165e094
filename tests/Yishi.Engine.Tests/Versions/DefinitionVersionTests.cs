using Yishi.Engine.Definitions;
using Yishi.Engine.Instances;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Versions;

public sealed class DefinitionVersionTests
{
    /// <summary>A task, then an end whose result names the version, so a run shows which version it ran on.</summary>
    private static string Versioned(string label) => $$"""
        {
          "definitionId": "complaint",
          "name": "Complaint",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "handle", "type": "HumanTask", "properties": { "title": "Handle", "assignee": { "role": "clerk" } } },
            { "id": "end", "type": "End", "properties": { "result": "\"{{label}}\"" } }
          ],
          "connections": [ { "from": "start", "to": "handle" }, { "from": "handle", "to": "end" } ]
        }
        """;

    private static async Task<IReadOnlyList<DefinitionVersion>> VersionsAsync(TestEngine engine) =>
        await engine.Store.ListVersionsAsync("complaint", TestEngine.Cancellation);

    [Fact]
    public async Task Lifecycle_DraftThenPublishedThenRetired()
    {
        await using var engine = new TestEngine();
        var catalog = engine.Runtime.Definitions;

        var draft = await catalog.SaveDraftAsync(Versioned("v1"), TestEngine.Cancellation);
        var draftStatus = (await VersionsAsync(engine)).Single().Status;
        engine.Clock.Advance(TimeSpan.FromHours(1));
        var published = await catalog.PublishAsync("complaint", TestEngine.Cancellation);
        var publishedStatus = (await VersionsAsync(engine)).Single().Status;
        var retired = await catalog.RetireAsync("complaint", 1, TestEngine.Cancellation);

        Assert.Equal((1, DefinitionStatus.Draft), (draft.Version!.Version, draftStatus));
        Assert.Equal((DefinitionStatus.Published, DefinitionStatus.Published), (published.Version!.Status, publishedStatus));
        Assert.Equal(TestEngine.Epoch.AddHours(1), published.Version.PublishedAt);
        Assert.True(retired);
        Assert.Equal(DefinitionStatus.Retired, (await VersionsAsync(engine)).Single().Status);
        Assert.Equal(DefinitionCatalog.Hash(Versioned("v1")), published.Version.ContentHash);
    }

    [Fact]
    public async Task Draft_CannotStartInstances()
    {
        await using var engine = new TestEngine();
        await engine.Runtime.Definitions.SaveDraftAsync(Versioned("v1"), TestEngine.Cancellation);

        var result = await engine.TryStartAsync("complaint");

        Assert.Equal(StepStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task Publish_DraftWithErrors_IsRefusedUntilFixed()
    {
        await using var engine = new TestEngine();
        var catalog = engine.Runtime.Definitions;
        var broken = Versioned("v1").Replace("\"type\": \"End\"", "\"type\": \"Finish\"", StringComparison.Ordinal);

        var saved = await catalog.SaveDraftAsync(broken, TestEngine.Cancellation);
        var refused = await catalog.PublishAsync("complaint", TestEngine.Cancellation);
        await catalog.SaveDraftAsync(Versioned("v1"), TestEngine.Cancellation);
        var accepted = await catalog.PublishAsync("complaint", TestEngine.Cancellation);

        Assert.True(saved.Succeeded);
        Assert.Contains(saved.Problems, p => p.Code == ProblemCodes.UnknownActivityType);
        Assert.False(refused.Succeeded);
        Assert.Contains(refused.Problems, p => p.Code == ProblemCodes.UnknownActivityType && p.IsError);
        Assert.True(accepted.Succeeded);
        Assert.Equal(1, accepted.Version!.Version);
        Assert.Single(await VersionsAsync(engine));
    }

    [Fact]
    public async Task SaveDraft_UnreadableJson_IsRefused()
    {
        await using var engine = new TestEngine();

        var saved = await engine.Runtime.Definitions.SaveDraftAsync("{ \"definitionId\": ", TestEngine.Cancellation);

        Assert.False(saved.Succeeded);
        Assert.Equal(ProblemCodes.MalformedJson, Assert.Single(saved.Problems).Code);
    }

    [Fact]
    public async Task Publish_WithoutDraft_IsRefused()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Versioned("v1"));

        var again = await engine.Runtime.Definitions.PublishAsync("complaint", TestEngine.Cancellation);

        Assert.False(again.Succeeded);
        Assert.Equal(ProblemCodes.NoDraft, Assert.Single(again.Problems).Code);
    }

    [Fact]
    public async Task SaveDraft_AfterPublish_CreatesVersionTwoAndLeavesVersionOneUnchanged()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Versioned("v1"));

        var draft = await engine.Runtime.Definitions.SaveDraftAsync(Versioned("v2"), TestEngine.Cancellation);

        Assert.Equal((2, DefinitionStatus.Draft), (draft.Version!.Version, draft.Version.Status));
        var versions = await VersionsAsync(engine);
        Assert.Equal([(1, DefinitionStatus.Published), (2, DefinitionStatus.Draft)], versions.Select(v => (v.Version, v.Status)));
        Assert.Equal(Versioned("v1"), versions[0].Json);
        Assert.False(await engine.Store.UpdateDraftAsync("complaint", 1, Versioned("hacked"), "x", TestEngine.Epoch, TestEngine.Cancellation));
    }

    [Fact]
    public async Task RunningInstance_StaysOnItsVersion_AfterANewOneIsPublished()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Versioned("v1"));
        var onV1 = await engine.StartAsync("complaint");

        await engine.PublishAsync(Versioned("v2"));
        var onV2 = await engine.StartAsync("complaint");
        var v1Done = await engine.CompleteAsync(onV1.Bookmarks[0].Id);
        var v2Done = await engine.CompleteAsync(onV2.Bookmarks[0].Id);

        Assert.Equal(1, (await engine.InstanceAsync(onV1.InstanceId!)).DefinitionVersion);
        Assert.Equal(2, (await engine.InstanceAsync(onV2.InstanceId!)).DefinitionVersion);
        Assert.Equal("v1", v1Done.Result!.GetValue<string>());
        Assert.Equal("v2", v2Done.Result!.GetValue<string>());
    }

    [Fact]
    public async Task Start_SpecificPublishedVersion_UsesIt()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Versioned("v1"));
        await engine.PublishAsync(Versioned("v2"));

        var result = await engine.TryStartAsync("complaint", version: 1);

        Assert.Equal(1, (await engine.InstanceAsync(result.InstanceId!)).DefinitionVersion);
    }

    [Fact]
    public async Task RetiredVersion_RefusesNewInstances_ButRunningOnesContinue()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Versioned("v1"));
        var running = await engine.StartAsync("complaint");

        Assert.True(await engine.Runtime.Definitions.RetireAsync("complaint", 1, TestEngine.Cancellation));
        var latest = await engine.TryStartAsync("complaint");
        var pinned = await engine.TryStartAsync("complaint", version: 1);
        var finished = await engine.CompleteAsync(running.Bookmarks[0].Id);

        Assert.Equal(StepStatus.NotFound, latest.Status);
        Assert.Equal(StepStatus.NotActive, pinned.Status);
        Assert.Equal(InstanceStatus.Completed, finished.InstanceStatus);
        Assert.Equal("v1", finished.Result!.GetValue<string>());
        Assert.Single(await engine.Runtime.QueryInstancesAsync(new Persistence.InstanceQuery(), TestEngine.Cancellation));
    }

    [Fact]
    public async Task RetiredVersion_NewerPublishedVersion_TakesNewStarts()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Versioned("v1"));
        await engine.PublishAsync(Versioned("v2"));
        await engine.Runtime.Definitions.RetireAsync("complaint", 2, TestEngine.Cancellation);

        var result = await engine.StartAsync("complaint");

        Assert.Equal(1, (await engine.InstanceAsync(result.InstanceId!)).DefinitionVersion);
    }

    [Fact]
    public async Task Retire_Draft_IsRefused()
    {
        await using var engine = new TestEngine();
        await engine.Runtime.Definitions.SaveDraftAsync(Versioned("v1"), TestEngine.Cancellation);

        Assert.False(await engine.Runtime.Definitions.RetireAsync("complaint", 1, TestEngine.Cancellation));
    }

    [Fact]
    public async Task Publish_WithNote_StoresTheTrimmedNoteAndThePublisher()
    {
        await using var engine = new TestEngine();
        await engine.Runtime.Definitions.SaveDraftAsync(Versioned("v1"), TestEngine.Cancellation);

        var published = await engine.Runtime.Definitions.PublishAsync("complaint", new Publication("  调解期限由30日改为20日 \n", "u-staff"), TestEngine.Cancellation);

        Assert.True(published.Succeeded);
        var stored = (await VersionsAsync(engine)).Single();
        Assert.Equal(("调解期限由30日改为20日", "u-staff"), (stored.PublishNote, stored.PublishedBy));
        Assert.Equal((stored.PublishNote, stored.PublishedBy), (published.Version!.PublishNote, published.Version.PublishedBy));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task Publish_WithoutNote_StoresNone(string? note)
    {
        await using var engine = new TestEngine();
        await engine.Runtime.Definitions.SaveDraftAsync(Versioned("v1"), TestEngine.Cancellation);

        await engine.Runtime.Definitions.PublishAsync("complaint", new Publication(note, null), TestEngine.Cancellation);

        var stored = (await VersionsAsync(engine)).Single();
        Assert.Equal((DefinitionStatus.Published, null, null), (stored.Status, stored.PublishNote, stored.PublishedBy));
    }

    [Fact]
    public async Task Publish_NoteLongerThanTheLimit_IsRefusedAndTheDraftStays()
    {
        await using var engine = new TestEngine();
        await engine.Runtime.Definitions.SaveDraftAsync(Versioned("v1"), TestEngine.Cancellation);

        var refused = await engine.Runtime.Definitions.PublishAsync("complaint", new Publication(new string('改', Publication.MaxNoteLength + 1), "u-staff"), TestEngine.Cancellation);
        var atLimit = await engine.Runtime.Definitions.PublishAsync("complaint", new Publication(new string('改', Publication.MaxNoteLength), "u-staff"), TestEngine.Cancellation);

        Assert.False(refused.Succeeded);
        var problem = Assert.Single(refused.Problems);
        Assert.Equal((ProblemCodes.NoteTooLong, "note"), (problem.Code, problem.Property));
        Assert.True(atLimit.Succeeded);
    }
}
