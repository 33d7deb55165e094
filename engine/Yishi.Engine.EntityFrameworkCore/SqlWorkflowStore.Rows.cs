using System.Data.Common;
using Yishi.Engine.EntityFrameworkCore.Records;

namespace Yishi.Engine.EntityFrameworkCore;

public sealed partial class SqlWorkflowStore
{
    private const int BookmarkColumnCount = 18;

    private static string InstanceColumns(string alias) =>
        string.Join(", ", ((string[])["id", "definition_id", "definition_version", "status", "correlation_key", "parent_instance_id", "parent_bookmark_id",
            "created_at", "updated_at", "finished_at", "version", "state", "scope"]).Select(c => $"{alias}.{c}"));

    private static string BookmarkColumns(string alias) =>
        string.Join(", ", ((string[])["id", "instance_id", "definition_id", "activity_id", "activity_type", "token_id", "kind", "created_at", "due_at", "role",
            "user_id", "message_name", "correlation_key", "child_instance_id", "payload", "consumed_at", "scope", "alarm_at"]).Select(c => $"{alias}.{c}"));

    private static InstanceRecord ReadInstance(DbDataReader r, int o) => new()
    {
        Id = r.GetString(o),
        DefinitionId = r.GetString(o + 1),
        DefinitionVersion = r.GetInt32(o + 2),
        Status = r.GetString(o + 3),
        CorrelationKey = NullableString(r, o + 4),
        ParentInstanceId = NullableString(r, o + 5),
        ParentBookmarkId = NullableString(r, o + 6),
        CreatedAt = r.GetInt64(o + 7),
        UpdatedAt = r.GetInt64(o + 8),
        FinishedAt = NullableLong(r, o + 9),
        Version = r.GetInt64(o + 10),
        State = r.GetString(o + 11),
        Scope = NullableString(r, o + 12),
    };

    private static BookmarkRecord ReadBookmark(DbDataReader r, int o) => new()
    {
        Id = r.GetString(o),
        InstanceId = r.GetString(o + 1),
        DefinitionId = r.GetString(o + 2),
        ActivityId = r.GetString(o + 3),
        ActivityType = r.GetString(o + 4),
        TokenId = r.GetString(o + 5),
        Kind = r.GetString(o + 6),
        CreatedAt = r.GetInt64(o + 7),
        DueAt = NullableLong(r, o + 8),
        Role = NullableString(r, o + 9),
        UserId = NullableString(r, o + 10),
        MessageName = NullableString(r, o + 11),
        CorrelationKey = NullableString(r, o + 12),
        ChildInstanceId = NullableString(r, o + 13),
        Payload = NullableString(r, o + 14),
        ConsumedAt = NullableLong(r, o + 15),
        Scope = NullableString(r, o + 16),
        AlarmAt = NullableLong(r, o + 17),
    };

    private static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? NullableLong(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
}
