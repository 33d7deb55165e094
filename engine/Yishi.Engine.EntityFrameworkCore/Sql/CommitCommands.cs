using System.Data;
using System.Data.Common;
using Yishi.Engine.Persistence;
using static Yishi.Engine.EntityFrameworkCore.RecordMapping;

namespace Yishi.Engine.EntityFrameworkCore.Sql;

/// <summary>
/// The hot path of every step, in hand-written SQL: EF Core's change tracking costs more than the disk here.
/// The statements are plain SQL that SQLite, PostgreSQL and SQL Server all accept, created once per batch and
/// re-bound for each commit in it. The checks run before any write, instance versions first: when the
/// version is unchanged no other step touched the instance, so its bookmarks are as the step saw them.
/// </summary>
internal sealed class CommitCommands(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private DbCommand? _insertInstance;
    private DbCommand? _updateInstance;
    private DbCommand? _consumeBookmark;
    private DbCommand? _insertBookmark;
    private DbCommand? _insertJournal;
    private DbCommand? _insertOutbox;
    private DbCommand? _deleteOutbox;
    private DbCommand? _insertMessage;
    private DbCommand? _deleteMessage;

    /// <summary>Applies one commit; returns the conflict that refused it (the caller rolls back), or null.</summary>
    public async Task<ConflictReason?> ApplyAsync(WorkflowCommit commit, CancellationToken cancellationToken)
    {
        foreach (var write in commit.Instances)
        {
            var instance = write.Instance;
            if (write.ExpectedVersion == 0)
            {
                var insert = _insertInstance ??= Command(
                    "INSERT INTO yishi_instances (id, definition_id, definition_version, status, correlation_key, parent_instance_id, parent_bookmark_id, created_at, updated_at, finished_at, version, state) " +
                    "VALUES (@id, @definition_id, @definition_version, @status, @correlation_key, @parent_instance_id, @parent_bookmark_id, @created_at, @updated_at, @finished_at, @version, @state)",
                    ("id", DbType.String), ("definition_id", DbType.String), ("definition_version", DbType.Int32), ("status", DbType.String), ("correlation_key", DbType.String),
                    ("parent_instance_id", DbType.String), ("parent_bookmark_id", DbType.String), ("created_at", DbType.Int64), ("updated_at", DbType.Int64),
                    ("finished_at", DbType.Int64), ("version", DbType.Int64), ("state", DbType.String));
                await ExecuteAsync(insert, cancellationToken, instance.Id, instance.DefinitionId, instance.DefinitionVersion, instance.Status.ToString(), instance.CorrelationKey,
                    instance.ParentInstanceId, instance.ParentBookmarkId, Ms(instance.CreatedAt), Ms(instance.UpdatedAt), Ms(instance.FinishedAt), instance.Version,
                    StateSerializer.Serialize(instance.State));
            }
            else
            {
                var update = _updateInstance ??= Command(
                    "UPDATE yishi_instances SET status = @status, updated_at = @updated_at, finished_at = @finished_at, version = @version, state = @state " +
                    "WHERE id = @id AND version = @expected",
                    ("status", DbType.String), ("updated_at", DbType.Int64), ("finished_at", DbType.Int64), ("version", DbType.Int64), ("state", DbType.String),
                    ("id", DbType.String), ("expected", DbType.Int64));
                if (await ExecuteAsync(update, cancellationToken, instance.Status.ToString(), Ms(instance.UpdatedAt), Ms(instance.FinishedAt), instance.Version,
                        StateSerializer.Serialize(instance.State), instance.Id, write.ExpectedVersion) != 1)
                {
                    return ConflictReason.InstanceChanged;
                }
            }
        }

        var at = commit.Instances.IsEmpty ? 0 : Ms(commit.Instances[0].Instance.UpdatedAt);
        foreach (var id in commit.ConsumedBookmarkIds)
        {
            var consume = _consumeBookmark ??= Command("UPDATE yishi_bookmarks SET consumed_at = @at WHERE id = @id AND consumed_at IS NULL",
                ("at", DbType.Int64), ("id", DbType.String));
            if (await ExecuteAsync(consume, cancellationToken, at, id) != 1)
            {
                return ConflictReason.BookmarkConsumed;
            }
        }

        foreach (var id in commit.ConsumedMessageIds)
        {
            var delete = _deleteMessage ??= Command("DELETE FROM yishi_messages WHERE id = @id", ("id", DbType.String));
            if (await ExecuteAsync(delete, cancellationToken, id) != 1)
            {
                return ConflictReason.MessageConsumed;
            }
        }

        foreach (var id in commit.CompletedOutboxIds)
        {
            var delete = _deleteOutbox ??= Command("DELETE FROM yishi_outbox WHERE id = @id", ("id", DbType.String));
            if (await ExecuteAsync(delete, cancellationToken, id) != 1)
            {
                return ConflictReason.OutboxCompleted;
            }
        }

        foreach (var b in commit.CreatedBookmarks)
        {
            var insert = _insertBookmark ??= Command(
                "INSERT INTO yishi_bookmarks (id, instance_id, definition_id, activity_id, activity_type, token_id, kind, created_at, due_at, role, user_id, message_name, correlation_key, child_instance_id, payload) " +
                "VALUES (@id, @instance_id, @definition_id, @activity_id, @activity_type, @token_id, @kind, @created_at, @due_at, @role, @user_id, @message_name, @correlation_key, @child_instance_id, @payload)",
                ("id", DbType.String), ("instance_id", DbType.String), ("definition_id", DbType.String), ("activity_id", DbType.String), ("activity_type", DbType.String),
                ("token_id", DbType.String), ("kind", DbType.String), ("created_at", DbType.Int64), ("due_at", DbType.Int64), ("role", DbType.String), ("user_id", DbType.String),
                ("message_name", DbType.String), ("correlation_key", DbType.String), ("child_instance_id", DbType.String), ("payload", DbType.String));
            await ExecuteAsync(insert, cancellationToken, b.Id, b.InstanceId, b.DefinitionId, b.ActivityId, b.ActivityType, b.TokenId, b.Kind.ToString(), Ms(b.CreatedAt),
                Ms(b.DueAt), b.Role, b.UserId, b.MessageName, b.CorrelationKey, b.ChildInstanceId, StateSerializer.Serialize(b.Payload));
        }

        foreach (var e in commit.Journal)
        {
            var insert = _insertJournal ??= Command(
                "INSERT INTO yishi_journal (instance_id, sequence, at, kind, activity_id, activity_type, outcome, bookmark_id, actor_id, message, data) " +
                "VALUES (@instance_id, @sequence, @at, @kind, @activity_id, @activity_type, @outcome, @bookmark_id, @actor_id, @message, @data)",
                ("instance_id", DbType.String), ("sequence", DbType.Int64), ("at", DbType.Int64), ("kind", DbType.String), ("activity_id", DbType.String),
                ("activity_type", DbType.String), ("outcome", DbType.String), ("bookmark_id", DbType.String), ("actor_id", DbType.String), ("message", DbType.String), ("data", DbType.String));
            await ExecuteAsync(insert, cancellationToken, e.InstanceId, e.Sequence, Ms(e.At), e.Kind.ToString(), e.ActivityId, e.ActivityType, e.Outcome, e.BookmarkId, e.ActorId,
                e.Message, StateSerializer.Serialize(e.Data));
        }

        foreach (var o in commit.Outbox)
        {
            var insert = _insertOutbox ??= Command("INSERT INTO yishi_outbox (id, instance_id, kind, payload, created_at) VALUES (@id, @instance_id, @kind, @payload, @created_at)",
                ("id", DbType.String), ("instance_id", DbType.String), ("kind", DbType.String), ("payload", DbType.String), ("created_at", DbType.Int64));
            await ExecuteAsync(insert, cancellationToken, o.Id, o.InstanceId, o.Kind, StateSerializer.Serialize(o.Payload)!, Ms(o.CreatedAt));
        }

        foreach (var m in commit.StoredMessages)
        {
            var insert = _insertMessage ??= Command(
                "INSERT INTO yishi_messages (id, name, correlation_key, payload, received_at, expires_at) VALUES (@id, @name, @correlation_key, @payload, @received_at, @expires_at)",
                ("id", DbType.String), ("name", DbType.String), ("correlation_key", DbType.String), ("payload", DbType.String), ("received_at", DbType.Int64), ("expires_at", DbType.Int64));
            await ExecuteAsync(insert, cancellationToken, m.Id, m.Name, m.CorrelationKey, StateSerializer.Serialize(m.Payload), Ms(m.ReceivedAt), Ms(m.ExpiresAt));
        }

        return null;
    }

    private DbCommand Command(string sql, params (string Name, DbType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            // Explicit types: PostgreSQL cannot infer the type of a NULL parameter otherwise.
            parameter.DbType = type;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static Task<int> ExecuteAsync(DbCommand command, CancellationToken cancellationToken, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in (DbCommand?[])[_insertInstance, _updateInstance, _consumeBookmark, _insertBookmark, _insertJournal, _insertOutbox, _deleteOutbox, _insertMessage, _deleteMessage])
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }
}
