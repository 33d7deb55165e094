using System.Data;
using System.Data.Common;
using Yishi.Engine.Persistence;
using static Yishi.Engine.EntityFrameworkCore.RecordMapping;

namespace Yishi.Engine.EntityFrameworkCore.Sql;

/// <summary>
/// Writes a batch of steps in one transaction, in hand-written SQL: EF Core's change tracking costs more
/// than the disk here. The statements are plain SQL that SQLite, PostgreSQL and SQL Server all accept.
/// <para>
/// Fast path: each step's checks first (instance version, then bookmarks, messages, outbox rows), then every
/// accepted step's rows in a few multi-row INSERTs. A step refused at its first check has written nothing,
/// so it is simply left out. Anything else — a later check failing, a database error — makes the batch fall
/// back to the isolated path: every step in a savepoint of its own, so that only the guilty one fails.
/// </para>
/// </summary>
internal sealed class StepWriter(CommandCache commands, DbTransaction transaction, DatabaseProvider provider)
{
    private const string Savepoint = "yishi_step";

    /// <summary>The fast path; false when the batch must be rolled back and written with <see cref="ApplyIsolatedAsync"/>.</summary>
    public async Task<bool> TryApplyBatchAsync(IReadOnlyList<WorkflowCommit> commits, CommitOutcome[] outcomes, CancellationToken cancellationToken)
    {
        var accepted = new List<WorkflowCommit>(commits.Count);
        try
        {
            for (var i = 0; i < commits.Count; i++)
            {
                var (conflict, wrote) = await CheckAsync(commits[i], cancellationToken);
                if (conflict is { } reason)
                {
                    if (wrote)
                    {
                        return false;
                    }

                    outcomes[i] = CommitOutcome.Refused(reason);
                    continue;
                }

                outcomes[i] = CommitOutcome.Success;
                accepted.Add(commits[i]);
            }

            await InsertAsync(accepted, cancellationToken);
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>Each step in its own savepoint: a refused or failing step never affects the others.</summary>
    public async Task ApplyIsolatedAsync(IReadOnlyList<WorkflowCommit> commits, CommitOutcome[] outcomes, CancellationToken cancellationToken)
    {
        for (var i = 0; i < commits.Count; i++)
        {
            await transaction.SaveAsync(Savepoint, cancellationToken);
            try
            {
                var (conflict, _) = await CheckAsync(commits[i], cancellationToken);
                if (conflict is null)
                {
                    await InsertAsync([commits[i]], cancellationToken);
                }

                outcomes[i] = conflict is { } reason ? CommitOutcome.Refused(reason) : CommitOutcome.Success;
            }
            catch (DbException exception)
            {
                outcomes[i] = CommitOutcome.Failed(exception);
            }

            if (!outcomes[i].Committed)
            {
                await transaction.RollbackAsync(Savepoint, cancellationToken);
            }

            // SQL Server has no RELEASE SAVEPOINT; its savepoints end with the transaction.
            if (provider != DatabaseProvider.SqlServer)
            {
                await transaction.ReleaseAsync(Savepoint, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The concurrency checks of one step, instance versions first: when the version is unchanged no other
    /// step touched the instance, so its bookmarks are as the step saw them. Returns the conflict, if any, and
    /// whether an earlier check of the same step already changed a row.
    /// </summary>
    private async Task<(ConflictReason? Conflict, bool Wrote)> CheckAsync(WorkflowCommit commit, CancellationToken cancellationToken)
    {
        var wrote = false;
        foreach (var write in commit.Instances)
        {
            if (write.ExpectedVersion == 0)
            {
                continue;
            }

            var instance = write.Instance;
            // Naming a column in SET makes SQLite rewrite the indexes that contain it, changed or not: status only when it changed.
            var updated = write.StatusChanged
                ? await ExecuteAsync(commands.Get(
                        "UPDATE yishi_instances SET status = @status, finished_at = @finished_at, updated_at = @updated_at, version = @version, state = @state WHERE id = @id AND version = @expected",
                        transaction, ("status", DbType.String), ("finished_at", DbType.Int64), ("updated_at", DbType.Int64), ("version", DbType.Int64), ("state", DbType.String),
                        ("id", DbType.String), ("expected", DbType.Int64)),
                    cancellationToken, instance.Status.ToString(), Ms(instance.FinishedAt), Ms(instance.UpdatedAt), instance.Version, write.StateJson,
                    instance.Id, write.ExpectedVersion)
                : await ExecuteAsync(commands.Get(
                        "UPDATE yishi_instances SET updated_at = @updated_at, version = @version, state = @state WHERE id = @id AND version = @expected",
                        transaction, ("updated_at", DbType.Int64), ("version", DbType.Int64), ("state", DbType.String), ("id", DbType.String), ("expected", DbType.Int64)),
                    cancellationToken, Ms(instance.UpdatedAt), instance.Version, write.StateJson, instance.Id, write.ExpectedVersion);
            if (updated != 1)
            {
                return (ConflictReason.InstanceChanged, wrote);
            }

            wrote = true;
        }

        var at = commit.Instances.IsEmpty ? 0 : Ms(commit.Instances[0].Instance.UpdatedAt);
        foreach (var id in commit.ConsumedBookmarkIds)
        {
            var consume = commands.Get("UPDATE yishi_bookmarks SET consumed_at = @at WHERE id = @id AND consumed_at IS NULL", transaction, ("at", DbType.Int64), ("id", DbType.String));
            if (await ExecuteAsync(consume, cancellationToken, at, id) != 1)
            {
                return (ConflictReason.BookmarkConsumed, wrote);
            }

            wrote = true;
        }

        foreach (var claim in commit.Claims)
        {
            var take = claim.Reassign
                ? commands.Get("UPDATE yishi_bookmarks SET user_id = @user WHERE id = @id AND consumed_at IS NULL", transaction, ("user", DbType.String), ("id", DbType.String))
                : commands.Get("UPDATE yishi_bookmarks SET user_id = @user WHERE id = @id AND consumed_at IS NULL AND (user_id IS NULL OR user_id = @user)",
                    transaction, ("user", DbType.String), ("id", DbType.String));
            if (await ExecuteAsync(take, cancellationToken, claim.UserId, claim.BookmarkId) != 1)
            {
                return (ConflictReason.TaskClaimed, wrote);
            }

            wrote = true;
        }

        foreach (var change in commit.DeadlineChanges)
        {
            var extend = commands.Get("UPDATE yishi_bookmarks SET due_at = @due, alarm_at = @alarm WHERE id = @id AND consumed_at IS NULL AND due_at = @expected",
                transaction, ("due", DbType.Int64), ("alarm", DbType.Int64), ("id", DbType.String), ("expected", DbType.Int64));
            if (await ExecuteAsync(extend, cancellationToken, Ms(change.NewDue), Ms(change.NewAlarm), change.BookmarkId, Ms(change.ExpectedDue)) != 1)
            {
                return (ConflictReason.DeadlineChanged, wrote);
            }

            wrote = true;
        }

        foreach (var change in commit.ScopeChanges)
        {
            // After the instance's version check above, so a transfer never races a step that saw the old scope.
            await ExecuteAsync(commands.Get("UPDATE yishi_instances SET scope = @scope WHERE id = @id", transaction, ("scope", DbType.String), ("id", DbType.String)),
                cancellationToken, change.NewScope, change.InstanceId);
            await ExecuteAsync(commands.Get("UPDATE yishi_bookmarks SET scope = @scope WHERE instance_id = @id AND consumed_at IS NULL", transaction,
                ("scope", DbType.String), ("id", DbType.String)), cancellationToken, change.NewScope, change.InstanceId);
            wrote = true;
        }

        foreach (var change in commit.VersionChanges)
        {
            // After the instance's version check above; the version condition makes a second migration of the same read a conflict too.
            var migrate = commands.Get("UPDATE yishi_instances SET definition_version = @to WHERE id = @id AND definition_version = @from", transaction,
                ("to", DbType.Int32), ("id", DbType.String), ("from", DbType.Int32));
            if (await ExecuteAsync(migrate, cancellationToken, change.ToVersion, change.InstanceId, change.FromVersion) != 1)
            {
                return (ConflictReason.InstanceChanged, wrote);
            }

            wrote = true;
        }

        foreach (var move in commit.BookmarkMoves)
        {
            var repoint = commands.Get("UPDATE yishi_bookmarks SET activity_id = @to WHERE id = @id AND consumed_at IS NULL AND activity_id = @from", transaction,
                ("to", DbType.String), ("id", DbType.String), ("from", DbType.String));
            if (await ExecuteAsync(repoint, cancellationToken, move.ToActivityId, move.BookmarkId, move.FromActivityId) != 1)
            {
                return (ConflictReason.BookmarkConsumed, wrote);
            }

            wrote = true;
        }

        foreach (var alarm in commit.Alarms)
        {
            var move = commands.Get("UPDATE yishi_bookmarks SET alarm_at = @next WHERE id = @id AND consumed_at IS NULL AND alarm_at = @expected",
                transaction, ("next", DbType.Int64), ("id", DbType.String), ("expected", DbType.Int64));
            if (await ExecuteAsync(move, cancellationToken, Ms(alarm.Next), alarm.BookmarkId, Ms(alarm.Expected)) != 1)
            {
                return (ConflictReason.AlarmRaised, wrote);
            }

            wrote = true;
        }

        foreach (var id in commit.ConsumedMessageIds)
        {
            if (await ExecuteAsync(commands.Get("DELETE FROM yishi_messages WHERE id = @id", transaction, ("id", DbType.String)), cancellationToken, id) != 1)
            {
                return (ConflictReason.MessageConsumed, wrote);
            }

            wrote = true;
        }

        foreach (var id in commit.CompletedOutboxIds)
        {
            if (await ExecuteAsync(commands.Get("DELETE FROM yishi_outbox WHERE id = @id", transaction, ("id", DbType.String)), cancellationToken, id) != 1)
            {
                return (ConflictReason.OutboxCompleted, wrote);
            }

            wrote = true;
        }

        return (null, wrote);
    }

    private async Task InsertAsync(IReadOnlyList<WorkflowCommit> commits, CancellationToken cancellationToken)
    {
        foreach (var (table, rows) in Tables.Inserts(commits))
        {
            foreach (var chunk in rows.Chunk(commands.RowsPerInsert))
            {
                var insert = commands.Insert(table, chunk.Length, transaction);
                var parameters = insert.Parameters;
                var p = 0;
                foreach (var row in chunk)
                {
                    foreach (var value in row)
                    {
                        parameters[p++].Value = value ?? DBNull.Value;
                    }
                }

                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static Task<int> ExecuteAsync(DbCommand command, CancellationToken cancellationToken, params ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command.ExecuteNonQueryAsync(cancellationToken);
    }
}
