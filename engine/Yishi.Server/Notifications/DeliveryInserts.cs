using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Yishi.Server.Data;

namespace Yishi.Server.Notifications;

/// <summary>
/// Inserts many deliveries with one prepared INSERT, re-executed with new values, in the caller's transaction. A
/// Notify to a whole electorate writes thousands of rows, and EF Core's change tracker costs several times the
/// insert itself (measured with the notify benchmark). SQLite runs one row per statement (its driver matches
/// parameters by name, so a statement with thousands of them is quadratic; a prepared one-row insert is a few
/// microseconds); server databases get 80 rows per statement, to save round trips while staying under SQL
/// Server's 2,100 parameters. Column names and quoting come from the EF model, so each provider gets its own SQL.
/// </summary>
internal static class DeliveryInserts
{
    public static async Task InsertAsync(ServerDbContext db, IReadOnlyList<Delivery> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(Delivery))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Select(p => (Column: p.GetColumnName(table)!, Getter: p.GetGetter())).ToList();
        var perStatement = db.Database.IsSqlite() ? 1 : 80;
        DbCommand? full = null;
        try
        {
            foreach (var chunk in rows.Chunk(perStatement))
            {
                if (chunk.Length == perStatement)
                {
                    full ??= await PrepareAsync(db, table, columns, perStatement, cancellationToken);
                    await ExecuteAsync(full, chunk, columns, cancellationToken);
                }
                else
                {
                    await using var rest = await PrepareAsync(db, table, columns, chunk.Length, cancellationToken);
                    await ExecuteAsync(rest, chunk, columns, cancellationToken);
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private static async Task ExecuteAsync(DbCommand command, Delivery[] chunk, List<(string Column, IClrPropertyGetter Getter)> columns, CancellationToken cancellationToken)
    {
        for (var r = 0; r < chunk.Length; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                command.Parameters[(r * columns.Count) + c].Value = columns[c].Getter.GetClrValue(chunk[r]) ?? DBNull.Value;
            }
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<DbCommand> PrepareAsync(ServerDbContext db, StoreObjectIdentifier table, List<(string Column, IClrPropertyGetter Getter)> columns, int rowCount,
        CancellationToken cancellationToken)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var text = new StringBuilder($"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Column)))}) VALUES ");
        for (var r = 0; r < rowCount; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Count; c++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{r}_{c}";
                command.Parameters.Add(parameter);
                text.Append(c == 0 ? parameter.ParameterName : ", " + parameter.ParameterName);
            }

            text.Append(')');
        }

        command.CommandText = text.ToString();
        return command;
    }
}
