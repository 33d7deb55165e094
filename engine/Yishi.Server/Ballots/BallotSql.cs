using System.Data.Common;

namespace Yishi.Server.Ballots;

/// <summary>
/// The statements that touch a ballot's turnout and slots, in each provider's words. Written by hand rather than
/// through EF: they run thousands of times a second inside one transaction, and each must be a single conditional
/// update whose row count says whether it happened (a second vote finds the turnout row already marked).
/// </summary>
internal sealed class BallotSql(string providerName)
{
    private readonly bool _postgres = providerName.Contains("Npgsql", StringComparison.Ordinal);
    private readonly bool _sqlServer = providerName.Contains("SqlServer", StringComparison.Ordinal);

    public const string MarkTurnout = """UPDATE yishi_ballot_turnout SET "Channel" = @channel WHERE "BallotId" = @ballot AND "CountKey" = @key AND "Channel" IS NULL""";

    public const string UnmarkTurnout = """UPDATE yishi_ballot_turnout SET "Channel" = NULL WHERE "BallotId" = @ballot AND "CountKey" = @key""";


    /// <summary>An empty slot at or after a random point; PostgreSQL skips slots another transaction is filling.</summary>
    public string FreeSlotFrom => First("""yishi_ballot_slots WHERE "BallotId" = @ballot AND "Choices" IS NULL AND "SlotId" >= @from ORDER BY "SlotId" """, "\"SlotId\"");

    /// <summary>Any empty slot (the random point was past the last one).</summary>
    public string FreeSlot => First("""yishi_ballot_slots WHERE "BallotId" = @ballot AND "Choices" IS NULL ORDER BY "SlotId" """, "\"SlotId\"");

    public const string FillSlot = """UPDATE yishi_ballot_slots SET "Choices" = @choices, "ReceiptHash" = @receipt, "Voter" = @voter WHERE "BallotId" = @ballot AND "SlotId" = @slot AND "Choices" IS NULL""";

    public const string ChangeByReceipt = """UPDATE yishi_ballot_slots SET "Choices" = @choices WHERE "BallotId" = @ballot AND "ReceiptHash" = @receipt AND "Choices" IS NOT NULL""";

    public const string ChoicesOfVoter = """SELECT "Choices" FROM yishi_ballot_slots WHERE "BallotId" = @ballot AND "Voter" = @key""";

    public const string ChangeByVoter = """UPDATE yishi_ballot_slots SET "Choices" = @choices WHERE "BallotId" = @ballot AND "Voter" = @key""";


    public const string CountPaperVoters = """SELECT COUNT(*) FROM yishi_ballot_turnout WHERE "BallotId" = @ballot AND "Channel" = 'paper'""";

    /// <summary>The tally: equal ballots pack equally, so the database groups them and only the distinct ones travel.</summary>
    public const string Tally = """SELECT "Choices", COUNT(*) FROM yishi_ballot_slots WHERE "BallotId" = @ballot AND "Choices" IS NOT NULL GROUP BY "Choices" """;

    private string First(string from, string column) =>
        _sqlServer ? $"SELECT TOP 1 {column} FROM {from}"
        : _postgres ? $"SELECT {column} FROM {from} LIMIT 1 FOR UPDATE SKIP LOCKED"
        : $"SELECT {column} FROM {from} LIMIT 1";

    /// <summary>A command on the connection and transaction with the named parameters, prepared once and reused with new values.</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Sets the parameters in order.</summary>
    public static DbCommand With(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }
}
