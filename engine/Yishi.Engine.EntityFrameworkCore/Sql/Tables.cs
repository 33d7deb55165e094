using System.Data;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Journal;
using Yishi.Engine.Messages;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;
using static Yishi.Engine.EntityFrameworkCore.RecordMapping;

namespace Yishi.Engine.EntityFrameworkCore.Sql;

/// <summary>A table the hot path inserts into: its name and columns, with explicit parameter types.</summary>
internal sealed record Table(string Name, (string Column, DbType Type)[] Columns);

/// <summary>The tables written on every step, and how an engine value becomes a row of each.</summary>
internal static class Tables
{
    public static readonly Table Instances = new("yishi_instances",
    [
        ("id", DbType.String), ("definition_id", DbType.String), ("definition_version", DbType.Int32), ("status", DbType.String), ("correlation_key", DbType.String),
        ("parent_instance_id", DbType.String), ("parent_bookmark_id", DbType.String), ("created_at", DbType.Int64), ("updated_at", DbType.Int64),
        ("finished_at", DbType.Int64), ("version", DbType.Int64), ("state", DbType.String), ("scope", DbType.String),
    ]);

    public static readonly Table Bookmarks = new("yishi_bookmarks",
    [
        ("id", DbType.String), ("instance_id", DbType.String), ("definition_id", DbType.String), ("activity_id", DbType.String), ("activity_type", DbType.String),
        ("token_id", DbType.String), ("kind", DbType.String), ("created_at", DbType.Int64), ("due_at", DbType.Int64), ("role", DbType.String), ("user_id", DbType.String),
        ("message_name", DbType.String), ("correlation_key", DbType.String), ("child_instance_id", DbType.String), ("payload", DbType.String),
        ("scope", DbType.String), ("alarm_at", DbType.Int64),
    ]);

    public static readonly Table Journal = new("yishi_journal",
    [
        ("instance_id", DbType.String), ("sequence", DbType.Int64), ("at", DbType.Int64), ("kind", DbType.String), ("activity_id", DbType.String),
        ("activity_type", DbType.String), ("outcome", DbType.String), ("bookmark_id", DbType.String), ("actor_id", DbType.String), ("message", DbType.String), ("data", DbType.String),
    ]);

    public static readonly Table Outbox = new("yishi_outbox",
        [("id", DbType.String), ("instance_id", DbType.String), ("kind", DbType.String), ("payload", DbType.String), ("created_at", DbType.Int64)]);

    public static readonly Table Messages = new("yishi_messages",
        [("id", DbType.String), ("name", DbType.String), ("correlation_key", DbType.String), ("payload", DbType.String), ("received_at", DbType.Int64), ("expires_at", DbType.Int64),
            ("scope", DbType.String)]);

    public static object?[] Row(InstanceWrite w) =>
    [
        w.Instance.Id, w.Instance.DefinitionId, w.Instance.DefinitionVersion, w.Instance.Status.ToString(), w.Instance.CorrelationKey, w.Instance.ParentInstanceId,
        w.Instance.ParentBookmarkId, Ms(w.Instance.CreatedAt), Ms(w.Instance.UpdatedAt), Ms(w.Instance.FinishedAt), w.Instance.Version, w.StateJson, w.Instance.Scope,
    ];

    public static object?[] Row(Bookmark b) =>
    [
        b.Id, b.InstanceId, b.DefinitionId, b.ActivityId, b.ActivityType, b.TokenId, b.Kind.ToString(), Ms(b.CreatedAt), Ms(b.DueAt), b.Role, b.UserId,
        b.MessageName, b.CorrelationKey, b.ChildInstanceId, StateSerializer.Serialize(b.Payload), b.Scope, Ms(b.AlarmAt),
    ];

    public static object?[] Row(JournalEntry e) =>
    [
        e.InstanceId, e.Sequence, Ms(e.At), e.Kind.ToString(), e.ActivityId, e.ActivityType, e.Outcome, e.BookmarkId, e.ActorId, e.Message, StateSerializer.Serialize(e.Data),
    ];

    public static object?[] Row(OutboxMessage o) => [o.Id, o.InstanceId, o.Kind, StateSerializer.Serialize(o.Payload), Ms(o.CreatedAt)];

    public static object?[] Row(PendingMessage m) => [m.Id, m.Name, m.CorrelationKey, StateSerializer.Serialize(m.Payload), Ms(m.ReceivedAt), Ms(m.ExpiresAt), m.Scope];

    /// <summary>The rows a set of commits inserts, table by table.</summary>
    public static IEnumerable<(Table Table, IEnumerable<object?[]> Rows)> Inserts(IReadOnlyList<WorkflowCommit> commits) =>
    [
        (Instances, commits.SelectMany(c => c.Instances).Where(w => w.ExpectedVersion == 0).Select(Row)),
        (Bookmarks, commits.SelectMany(c => c.CreatedBookmarks).Select(Row)),
        (Journal, commits.SelectMany(c => c.Journal).Select(Row)),
        (Outbox, commits.SelectMany(c => c.Outbox).Select(Row)),
        (Messages, commits.SelectMany(c => c.StoredMessages).Select(Row)),
    ];
}
