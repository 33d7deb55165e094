namespace Yishi.Engine.EntityFrameworkCore.Records;

// Table rows. Times are Unix milliseconds (UTC): the same integer on every provider, so hand-written SQL
// and LINQ compare and index them alike (SQLite cannot compare DateTimeOffset in SQL).

/// <summary>A row of <c>yishi_definitions</c>.</summary>
public sealed class DefinitionRecord
{
    public required string DefinitionId { get; set; }
    public int Version { get; set; }
    public required string Status { get; set; }
    public required string Json { get; set; }
    public required string ContentHash { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? PublishedAt { get; set; }
    public string? PublishNote { get; set; }
    public string? PublishedBy { get; set; }
}

/// <summary>A row of <c>yishi_instances</c>.</summary>
public sealed class InstanceRecord
{
    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public int DefinitionVersion { get; set; }
    public required string Status { get; set; }
    public string? CorrelationKey { get; set; }
    public string? Scope { get; set; }
    public string? ParentInstanceId { get; set; }
    public string? ParentBookmarkId { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? FinishedAt { get; set; }
    public long Version { get; set; }
    public required string State { get; set; }
}

/// <summary>A row of <c>yishi_bookmarks</c>; open while <see cref="ConsumedAt"/> is null.</summary>
public sealed class BookmarkRecord
{
    public required string Id { get; set; }
    public required string InstanceId { get; set; }
    public required string DefinitionId { get; set; }
    public string? Scope { get; set; }
    public required string ActivityId { get; set; }
    public required string ActivityType { get; set; }
    public required string TokenId { get; set; }
    public required string Kind { get; set; }
    public long CreatedAt { get; set; }
    public long? DueAt { get; set; }
    public string? Role { get; set; }
    public string? UserId { get; set; }
    public string? MessageName { get; set; }
    public string? CorrelationKey { get; set; }
    public string? ChildInstanceId { get; set; }
    public string? Payload { get; set; }
    public long? ConsumedAt { get; set; }
    public long? AlarmAt { get; set; }
}

/// <summary>A row of <c>yishi_journal</c>.</summary>
public sealed class JournalRecord
{
    public required string InstanceId { get; set; }
    public long Sequence { get; set; }
    public long At { get; set; }
    public required string Kind { get; set; }
    public string? ActivityId { get; set; }
    public string? ActivityType { get; set; }
    public string? Outcome { get; set; }
    public string? BookmarkId { get; set; }
    public string? ActorId { get; set; }
    public string? Message { get; set; }
    public string? Data { get; set; }
}

/// <summary>A row of <c>yishi_outbox</c>.</summary>
public sealed class OutboxRecord
{
    public required string Id { get; set; }
    public required string InstanceId { get; set; }
    public required string Kind { get; set; }
    public required string Payload { get; set; }
    public long CreatedAt { get; set; }
}

/// <summary>A row of <c>yishi_messages</c>: a message that arrived before its wait.</summary>
public sealed class MessageRecord
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string CorrelationKey { get; set; }
    public string? Payload { get; set; }
    public long ReceivedAt { get; set; }
    public long ExpiresAt { get; set; }
    public string? Scope { get; set; }
}
