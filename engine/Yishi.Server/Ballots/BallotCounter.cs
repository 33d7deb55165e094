using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Yishi.Engine.Ballots;
using Yishi.Server.Data;

namespace Yishi.Server.Ballots;

/// <summary>Counts a ballot's filled slots and decides it by its rule.</summary>
internal sealed class BallotCounter(Yishi.Engine.Expressions.ExpressionEngine expressions)
{
    /// <summary>The ballot's questions, as stored.</summary>
    public static IReadOnlyList<BallotQuestion> Questions(BallotRecord ballot) =>
        [.. JsonNode.Parse(ballot.Questions)!.AsArray().Select(q => BallotQuestion.FromJson(q!.AsObject()))];

    /// <summary>The electorate mode of a stored ballot.</summary>
    public static ElectorateMode Mode(BallotRecord ballot) => ElectorateModes.Parse(ballot.Mode) ?? ElectorateMode.Person;

    /// <summary>The statutory preset, or null for a custom rule.</summary>
    public static BallotRule? Preset(BallotRecord ballot) => BallotRule.For(ballot.Rule, Mode(ballot));

    /// <summary>Counts what is in the slots now and decides.</summary>
    public async Task<BallotResult> CountAsync(ServerDbContext db, BallotRecord ballot, DateTimeOffset now, CancellationToken cancellationToken)
    {
                var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        var groups = new List<(string, int)>();
        await using (var command = BallotSql.With(BallotSql.Command(connection, db.Database.CurrentTransaction?.GetDbTransaction(), BallotSql.Tally, "ballot"), ballot.Id))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                groups.Add((reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture)));
            }
        }

        var judge = new BallotJudge(Preset(ballot), ballot.CustomQuorum, ballot.CustomDecision, expressions);
        return judge.Decide(Questions(ballot), groups, ballot.Electorate, now);
    }
}
