using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.EntityFrameworkCore.Records;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Messages;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.EntityFrameworkCore;

/// <summary>Converts between table rows and engine types.</summary>
internal static class RecordMapping
{
    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static long? Ms(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    /// <summary>
    /// For "strictly before <paramref name="at"/>" on millisecond columns: a stored time is before it exactly when
    /// its milliseconds are below this (truncating would drop a time in the same millisecond as <paramref name="at"/>).
    /// </summary>
    public static long MsBefore(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? Time(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    public static T Parse<T>(string value) where T : struct, Enum => Enum.Parse<T>(value);

    public static DefinitionVersion ToVersion(DefinitionRecord r) =>
        new(r.DefinitionId, r.Version, Parse<DefinitionStatus>(r.Status), r.Json, r.ContentHash, Time(r.CreatedAt), Time(r.UpdatedAt), Time(r.PublishedAt))
        {
            PublishNote = r.PublishNote,
            PublishedBy = r.PublishedBy,
        };

    public static DefinitionRecord ToRecord(DefinitionVersion v) => new()
    {
        DefinitionId = v.DefinitionId,
        Version = v.Version,
        Status = v.Status.ToString(),
        Json = v.Json,
        ContentHash = v.ContentHash,
        CreatedAt = Ms(v.CreatedAt),
        UpdatedAt = Ms(v.UpdatedAt),
        PublishedAt = Ms(v.PublishedAt),
        PublishNote = v.PublishNote,
        PublishedBy = v.PublishedBy,
    };

    public static WorkflowInstance ToInstance(InstanceRecord r) => new()
    {
        Id = r.Id,
        DefinitionId = r.DefinitionId,
        DefinitionVersion = r.DefinitionVersion,
        Status = Parse<InstanceStatus>(r.Status),
        CorrelationKey = r.CorrelationKey,
        Scope = r.Scope,
        ParentInstanceId = r.ParentInstanceId,
        ParentBookmarkId = r.ParentBookmarkId,
        CreatedAt = Time(r.CreatedAt),
        UpdatedAt = Time(r.UpdatedAt),
        FinishedAt = Time(r.FinishedAt),
        Version = r.Version,
        State = StateSerializer.Deserialize(r.State),
    };

    public static InstanceSummary ToSummary(InstanceRecord r) =>
        new(r.Id, r.DefinitionId, r.DefinitionVersion, Parse<InstanceStatus>(r.Status), r.CorrelationKey, Time(r.CreatedAt), Time(r.UpdatedAt), Time(r.FinishedAt), r.Scope);

    public static Bookmark ToBookmark(BookmarkRecord r) => new()
    {
        Id = r.Id,
        InstanceId = r.InstanceId,
        DefinitionId = r.DefinitionId,
        Scope = r.Scope,
        ActivityId = r.ActivityId,
        ActivityType = r.ActivityType,
        TokenId = r.TokenId,
        Kind = Parse<BookmarkKind>(r.Kind),
        CreatedAt = Time(r.CreatedAt),
        DueAt = Time(r.DueAt),
        Role = r.Role,
        UserId = r.UserId,
        MessageName = r.MessageName,
        CorrelationKey = r.CorrelationKey,
        ChildInstanceId = r.ChildInstanceId,
        Payload = StateSerializer.DeserializeObject(r.Payload),
        ConsumedAt = Time(r.ConsumedAt),
        AlarmAt = Time(r.AlarmAt),
    };

    public static JournalEntry ToEntry(JournalRecord r) => new(r.InstanceId, r.Sequence, Time(r.At), Parse<JournalKind>(r.Kind))
    {
        ActivityId = r.ActivityId,
        ActivityType = r.ActivityType,
        Outcome = r.Outcome,
        BookmarkId = r.BookmarkId,
        ActorId = r.ActorId,
        Message = r.Message,
        Data = StateSerializer.DeserializeObject(r.Data),
    };

    public static OutboxMessage ToOutbox(OutboxRecord r) =>
        new(r.Id, r.InstanceId, r.Kind, StateSerializer.DeserializeObject(r.Payload) ?? [], Time(r.CreatedAt));

    public static PendingMessage ToMessage(MessageRecord r) =>
        new(r.Id, r.Name, r.CorrelationKey, StateSerializer.DeserializeObject(r.Payload), Time(r.ReceivedAt), Time(r.ExpiresAt), r.Scope);
}
