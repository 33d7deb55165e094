using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;

namespace Yishi.Engine.Tests.Support;

/// <summary>
/// A runtime over a fresh <see cref="InMemoryWorkflowStore"/> and a pinned <see cref="FakeTimeProvider"/>, with
/// short ways to publish, start, resume and look. Every test builds its own: no shared state between tests.
/// </summary>
public sealed class TestEngine : IAsyncDisposable
{
    /// <summary>Friday 7 March 2025, 10:00 in China (02:00 UTC): a working day with a weekend ahead.</summary>
    public static readonly DateTimeOffset Epoch = new(2025, 3, 7, 2, 0, 0, TimeSpan.Zero);

    /// <param name="options">Runtime options.</param>
    /// <param name="now">The clock's start.</param>
    /// <param name="wrap">Puts a decorator between the runtime and the store (to interleave another step with the runtime's reads).</param>
    /// <param name="calendar">The working calendar; China's shipped one by default.</param>
    public TestEngine(WorkflowRuntimeOptions? options = null, DateTimeOffset? now = null, Func<InMemoryWorkflowStore, IWorkflowStore>? wrap = null,
        Yishi.Engine.Time.IWorkingCalendar? calendar = null)
    {
        Clock = new FakeTimeProvider(now ?? Epoch);
        Store = new InMemoryWorkflowStore();
        Runtime = new WorkflowRuntime(wrap?.Invoke(Store) ?? Store, Clock, options, calendar: calendar);
    }

    public InMemoryWorkflowStore Store { get; }

    public FakeTimeProvider Clock { get; }

    public WorkflowRuntime Runtime { get; }

    public static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Publishes a definition document and asserts that it worked.</summary>
    public async Task<DefinitionVersion> PublishAsync(string json)
    {
        var result = await Runtime.Definitions.PublishDocumentAsync(json, Cancellation);
        Assert.True(result.Succeeded, "Publishing failed:\n" + string.Join("\n", result.Problems));
        Assert.Equal(DefinitionStatus.Published, result.Version!.Status);
        return result.Version;
    }

    /// <summary>Publishes a golden definition from <c>Definitions/</c>.</summary>
    public Task<DefinitionVersion> PublishFileAsync(string fileName) => PublishAsync(DefinitionFiles.Read(fileName));

    public Task<StepResult> TryStartAsync(string definitionId, JsonObject? input = null, string? correlationKey = null, int? version = null) =>
        Runtime.StartAsync(new StartRequest(definitionId, input, correlationKey, Version: version), Cancellation);

    /// <summary>Starts an instance and asserts the start committed.</summary>
    public async Task<StepResult> StartAsync(string definitionId, JsonObject? input = null, string? correlationKey = null)
    {
        var result = await TryStartAsync(definitionId, input, correlationKey);
        Assert.True(result.Succeeded, $"Start failed: {result.Status} {result.Message} {string.Join("; ", result.Problems)}");
        return result;
    }

    public Task<StepResult> ResumeAsync(string bookmarkId, string? outcome = null, JsonObject? data = null, Actor? actor = null) =>
        Runtime.ResumeAsync(new ResumeRequest(bookmarkId, new ResumeInput(outcome, data), actor ?? Actor.System), Cancellation);

    /// <summary>Resumes a bookmark and asserts the step committed.</summary>
    public async Task<StepResult> CompleteAsync(string bookmarkId, string? outcome = null, JsonObject? data = null, Actor? actor = null)
    {
        var result = await ResumeAsync(bookmarkId, outcome, data, actor);
        Assert.True(result.Succeeded, $"Resume failed: {result.Status} {result.Message} {string.Join("; ", result.Problems)}");
        return result;
    }

    public async Task<WorkflowInstance> InstanceAsync(string instanceId) =>
        await Runtime.FindInstanceAsync(instanceId, Cancellation) ?? throw new InvalidOperationException($"No instance '{instanceId}'.");

    public async Task<IReadOnlyList<Bookmark>> OpenBookmarksAsync(string instanceId) =>
        await Runtime.QueryBookmarksAsync(new BookmarkQuery { InstanceId = instanceId }, Cancellation);

    /// <summary>The one open bookmark of an instance on an activity.</summary>
    public async Task<Bookmark> OpenBookmarkAsync(string instanceId, string activityId)
    {
        var open = await OpenBookmarksAsync(instanceId);
        return Assert.Single(open, b => b.ActivityId == activityId);
    }

    public async Task<IReadOnlyList<JournalEntry>> JournalAsync(string instanceId) =>
        await Runtime.ReadJournalAsync(instanceId, cancellationToken: Cancellation);

    public async Task<InstanceStatus> StatusAsync(string instanceId) => (await InstanceAsync(instanceId)).Status;

    public ValueTask DisposeAsync() => Runtime.DisposeAsync();
}
