using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.EntityFrameworkCore.Sql;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Messages;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;
using static Yishi.Engine.EntityFrameworkCore.RecordMapping;

namespace Yishi.Engine.EntityFrameworkCore;

/// <summary>
/// The engine's store on a relational database (SQLite, PostgreSQL, SQL Server). Steps are committed with
/// hand-written SQL (<see cref="StepWriter"/>), the two reads on every resume with one joined query;
/// lists and definitions go through EF Core.
/// </summary>
public sealed partial class SqlWorkflowStore(YishiDatabase database) : IWorkflowStore, IAsyncDisposable
{
    // SQLite has one writer: one connection, kept open with its statements prepared, serves every batch.
    private readonly SemaphoreSlim _writerGate = new(1, 1);
    private CommandCache? _sqliteWriter;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<CommitOutcome>> CommitAsync(IReadOnlyList<WorkflowCommit> commits, CancellationToken cancellationToken = default)
    {
        var outcomes = new CommitOutcome[commits.Count];
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            await using var connection = await database.OpenConnectionAsync(forWriting: true, cancellationToken);
            await using var commands = new CommandCache(connection, database.Provider);
            await WriteAsync(commands, commits, outcomes, cancellationToken);
            return outcomes;
        }

        await _writerGate.WaitAsync(cancellationToken);
        try
        {
            _sqliteWriter ??= new CommandCache(await database.OpenConnectionAsync(forWriting: true, cancellationToken), database.Provider);
            await WriteAsync(_sqliteWriter, commits, outcomes, cancellationToken);
            return outcomes;
        }
        catch
        {
            // A broken connection is not reused: the next batch opens a fresh one.
            await CloseWriterAsync();
            throw;
        }
        finally
        {
            _writerGate.Release();
        }
    }

    private async Task WriteAsync(CommandCache commands, IReadOnlyList<WorkflowCommit> commits, CommitOutcome[] outcomes, CancellationToken cancellationToken)
    {
        await using (var transaction = await commands.Connection.BeginTransactionAsync(cancellationToken))
        {
            if (await new StepWriter(commands, transaction, database.Provider).TryApplyBatchAsync(commits, outcomes, cancellationToken))
            {
                await FinishAsync(transaction, outcomes, cancellationToken);
                return;
            }

            await transaction.RollbackAsync(cancellationToken);
        }

        await using (var transaction = await commands.Connection.BeginTransactionAsync(cancellationToken))
        {
            await new StepWriter(commands, transaction, database.Provider).ApplyIsolatedAsync(commits, outcomes, cancellationToken);
            await FinishAsync(transaction, outcomes, cancellationToken);
        }
    }

    private static async Task FinishAsync(DbTransaction transaction, CommitOutcome[] outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Any(o => o.Committed))
        {
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken);
        }
    }

    private async Task CloseWriterAsync()
    {
        if (_sqliteWriter is { } writer)
        {
            _sqliteWriter = null;
            var connection = writer.Connection;
            await writer.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>Closes the SQLite writer connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writerGate.WaitAsync();
        try
        {
            await CloseWriterAsync();
        }
        finally
        {
            _writerGate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<WorkflowInstance?> FindInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(forWriting: false, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {InstanceColumns("i")} FROM yishi_instances i WHERE i.id = @id";
        AddParameter(command, "@id", instanceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ToInstance(ReadInstance(reader, 0)) : null;
    }

    /// <inheritdoc />
    public async ValueTask<(Bookmark Bookmark, WorkflowInstance Instance)?> FindBookmarkWithInstanceAsync(string bookmarkId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(forWriting: false, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {BookmarkColumns("b")}, {InstanceColumns("i")} FROM yishi_bookmarks b JOIN yishi_instances i ON i.id = b.instance_id WHERE b.id = @id";
        AddParameter(command, "@id", bookmarkId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return (ToBookmark(ReadBookmark(reader, 0)), ToInstance(ReadInstance(reader, BookmarkColumnCount)));
    }

    /// <inheritdoc />
    public async ValueTask<Bookmark?> FindBookmarkAsync(string bookmarkId, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var record = await context.Bookmarks.AsNoTracking().FirstOrDefaultAsync(b => b.Id == bookmarkId, cancellationToken);
        return record is null ? null : ToBookmark(record);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InstanceSummary>> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var rows = context.Instances.AsNoTracking();
        if (query.DefinitionId is { } definitionId)
        {
            rows = rows.Where(i => i.DefinitionId == definitionId);
        }

        if (query.Status is { } status)
        {
            var text = status.ToString();
            rows = rows.Where(i => i.Status == text);
        }

        if (query.CorrelationKey is { } key)
        {
            rows = rows.Where(i => i.CorrelationKey == key);
        }

        if (query.ScopePrefix is { } prefix)
        {
            // Not StartsWith: EF Core makes it LIKE, which ignores case on SQLite; scopes compare exactly, as Actor.Reaches does.
            var length = prefix.Length;
            rows = rows.Where(i => i.Scope != null && i.Scope.Substring(0, length) == prefix);
        }

        if (!query.Ids.IsDefaultOrEmpty)
        {
            var ids = query.Ids.ToArray();
            rows = rows.Where(i => ids.Contains(i.Id));
        }

        var page = await rows.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Skip(query.Offset).Take(query.Limit).ToListAsync(cancellationToken);
        return [.. page.Select(ToSummary)];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JournalEntry>> ReadJournalAsync(string instanceId, long fromSequence = 0, int limit = 1000, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var rows = await context.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId && j.Sequence >= fromSequence)
            .OrderBy(j => j.Sequence).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(ToEntry)];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Bookmark>> QueryBookmarksAsync(BookmarkQuery query, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var rows = context.Bookmarks.AsNoTracking().Where(b => b.ConsumedAt == null);
        if (query.Kind is { } kind)
        {
            var text = kind.ToString();
            rows = rows.Where(b => b.Kind == text);
        }

        var roles = query.Roles.IsDefaultOrEmpty ? [] : query.Roles.ToArray();
        var prefix = query.ScopePrefix;
        var length = prefix?.Length ?? 0;
        if (query.UserId is { } user)
        {
            rows = roles.Length == 0 ? rows.Where(b => b.UserId == user)
                : prefix is null ? rows.Where(b => b.UserId == user || (b.Role != null && roles.Contains(b.Role)))
                : rows.Where(b => b.UserId == user || (b.Role != null && roles.Contains(b.Role) && b.Scope != null && b.Scope.Substring(0, length) == prefix));
        }
        else
        {
            if (roles.Length > 0)
            {
                rows = rows.Where(b => b.Role != null && roles.Contains(b.Role));
            }

            if (prefix is not null)
            {
                rows = rows.Where(b => b.Scope != null && b.Scope.Substring(0, length) == prefix);
            }
        }

        if (query.AlarmBefore is { } alarmBefore)
        {
            var alarmMs = MsBefore(alarmBefore);
            rows = rows.Where(b => b.AlarmAt != null && b.AlarmAt < alarmMs);
        }

        if (query.DueBefore is { } dueBefore)
        {
            var ms = MsBefore(dueBefore);
            rows = rows.Where(b => b.DueAt != null && b.DueAt < ms);
        }

        if (query.DueFrom is { } dueFrom)
        {
            var fromMs = Ms(dueFrom);
            rows = rows.Where(b => b.DueAt != null && b.DueAt >= fromMs);
        }

        if (query.InstanceId is { } instanceId)
        {
            rows = rows.Where(b => b.InstanceId == instanceId);
        }

        if (query.DefinitionId is { } definitionId)
        {
            rows = rows.Where(b => b.DefinitionId == definitionId);
        }

        if (query.MessageName is { } name)
        {
            rows = rows.Where(b => b.MessageName == name);
        }

        if (query.CorrelationKey is { } key)
        {
            rows = rows.Where(b => b.CorrelationKey == key);
        }


        // Open tasks without a deadline sort last, like the in-memory store (DueAt ?? max).
        var page = await rows.OrderBy(b => b.DueAt == null).ThenBy(b => b.DueAt).ThenBy(b => b.CreatedAt).ThenBy(b => b.Id).Take(query.Limit).ToListAsync(cancellationToken);
        return [.. page.Select(ToBookmark)];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<PendingMessage>> FindPendingMessagesAsync(string name, string correlationKey, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var ms = Ms(now);
        var rows = await context.Messages.AsNoTracking().Where(m => m.Name == name && m.CorrelationKey == correlationKey && m.ExpiresAt > ms)
            .OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id).ToListAsync(cancellationToken);
        return [.. rows.Select(ToMessage)];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var rows = await context.Outbox.AsNoTracking().OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(ToOutbox)];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int limit, string kind, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var rows = await context.Outbox.AsNoTracking().Where(o => o.Kind == kind).OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(ToOutbox)];
    }

    /// <inheritdoc />
    public async ValueTask<int> PurgeExpiredMessagesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var ms = Ms(now);
        return await context.Messages.Where(m => m.ExpiresAt <= ms).ExecuteDeleteAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = System.Data.DbType.String;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
