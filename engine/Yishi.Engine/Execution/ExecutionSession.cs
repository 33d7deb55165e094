using System.Globalization;
using System.Text.Json.Nodes;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Expressions;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Outbox;
using Yishi.Engine.Time;

namespace Yishi.Engine.Execution;

/// <summary>
/// The work of one step on one instance: the instance being changed and everything the change produces
/// (bookmarks, journal, outbox, child starts), gathered for a single commit.
/// </summary>
internal sealed class ExecutionSession
{
    public ExecutionSession(WorkflowInstance instance, WorkflowGraph graph, DateTimeOffset now, Actor actor, EngineServices services)
    {
        Instance = instance;
        Graph = graph;
        Now = now;
        Actor = actor;
        Services = services;
        ExpectedVersion = instance.Version;
        InitialStatus = instance.Status;
    }

    /// <summary>The status read; stores rewrite status indexes only when it changed.</summary>
    public InstanceStatus InitialStatus { get; }

    public WorkflowInstance Instance { get; }

    public WorkflowGraph Graph { get; }

    public DateTimeOffset Now { get; }

    public Actor Actor { get; }

    public EngineServices Services { get; }

    public ExpressionEngine Expressions => Services.Expressions;

    public IWorkingCalendar Calendar => Services.Calendar.For(Instance.Scope);

    /// <summary>The version read; the commit checks it is still current.</summary>
    public long ExpectedVersion { get; }

    public List<Bookmark> CreatedBookmarks { get; } = [];

    public List<string> ConsumedBookmarkIds { get; } = [];

    public List<JournalEntry> Journal { get; } = [];

    public List<OutboxMessage> Outbox { get; } = [];

    public List<ChildStart> ChildStarts { get; } = [];

    /// <summary>SubWorkflow bookmarks this step withdrew: their children are cancelled after the commit.</summary>
    public List<string> WithdrawnChildBookmarkIds { get; } = [];

    public int StepsTaken { get; set; }

    public string NextId(string kind) =>
        string.Create(CultureInfo.InvariantCulture, $"{Instance.Id}-{kind}{Instance.State.NextId++}");

    /// <summary>
    /// A bookmark id that starts with the step's time, so that new bookmarks land at the end of the store's
    /// primary-key index instead of next to their instance's old ones (a scattered page write per step
    /// otherwise). Still deterministic: the same clock and instance give the same id.
    /// </summary>
    public string NextBookmarkId() =>
        string.Create(CultureInfo.InvariantCulture, $"{Now.ToUnixTimeMilliseconds():x12}-{Instance.Id}-b{Instance.State.NextId++}");

    public ExpressionScope ScopeFor(JsonNode? input) => new(Instance.State.Variables, input, Instance.State.Activities,
        new JsonObject
        {
            ["id"] = Instance.Id,
            ["definition_id"] = Instance.DefinitionId,
            ["definition_version"] = Instance.DefinitionVersion,
            ["correlation_key"] = Instance.CorrelationKey,
        },
        Now);

    public JournalEntry Record(JournalKind kind, string? activityId = null, string? activityType = null, string? outcome = null, string? bookmarkId = null, string? message = null, JsonObject? data = null)
    {
        var entry = new JournalEntry(Instance.Id, Instance.State.NextJournalSequence++, Now, kind)
        {
            ActivityId = activityId,
            ActivityType = activityType,
            Outcome = outcome,
            BookmarkId = bookmarkId,
            ActorId = Actor.Id,
            Message = message,
            Data = data,
        };
        Journal.Add(entry);
        return entry;
    }

    /// <summary>Takes a bookmark out of play: dropped if this step created it, otherwise consumed in the commit.</summary>
    public void Consume(string bookmarkId)
    {
        var created = CreatedBookmarks.FindIndex(b => b.Id == bookmarkId);
        if (created >= 0)
        {
            CreatedBookmarks.RemoveAt(created);
        }
        else
        {
            ConsumedBookmarkIds.Add(bookmarkId);
        }
    }

    /// <summary>A bookmark created in this step, by id.</summary>
    public Bookmark? FindCreated(string bookmarkId) => CreatedBookmarks.Find(b => b.Id == bookmarkId);
}

/// <summary>A child instance a SubWorkflow activity asked for in this step.</summary>
internal sealed record ChildStart(string ChildInstanceId, string DefinitionId, JsonObject Input, string ParentBookmarkId, string ParentTokenId);

/// <summary>The stateless services a step uses.</summary>
internal sealed record EngineServices(ExpressionEngine Expressions, IWorkingCalendar Calendar, int StepBudget);
