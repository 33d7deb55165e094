using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Data;
using Yishi.Server.Tests.Support;
using static Yishi.Server.Tests.Ballots.BallotWorkflows;

namespace Yishi.Server.Tests.Ballots;

public sealed class SqliteBallotSecrecy : BallotSecrecyScenario<SqliteTestDatabase>;

public sealed class PostgreSqlBallotSecrecy : BallotSecrecyScenario<PostgreSqlTestDatabase>;

/// <summary>Many voters at once, and what a copy of the whole database reveals about who chose what.</summary>
public abstract class BallotSecrecyScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const string Settings = """
        "rule": "simple-majority", "notice": { "days": 1 }, "votingPeriod": { "days": 1 }
        """;

    private (WebApplicationFactory<Program> Server, ManualClock Clock) Start()
    {
        var clock = new ManualClock();
        return (NewServer().WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock))), clock);
    }

    [Fact]
    public async Task AThousandConcurrentVoters_WithDuplicateAttempts_GiveAnExactTally()
    {
        var (server, clock) = Start();
        var residents = Adults(1000, 13700000000);
        await server.ImportAsync(residents, Ct);
        var id = (await server.BallotOfAsync(await server.StartAsync(Vote("many", Settings), "many", "v9", Ct), Ct))["id"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromDays(1));
        var tokens = await server.TokensByPhoneAsync([.. residents.Select(r => r.Phone)], Ct);
        string[] options = ["yes", "no", "abstain"];
        // Every voter once with their own choice, and every fourth again at the same moment with another choice.
        var attempts = residents.Select((r, i) => (r.Phone, Choice: options[i % 3], First: true))
            .Concat(residents.Where((_, i) => i % 4 == 0).Select((r, i) => (r.Phone, Choice: options[(i + 1) % 3], First: false)))
            .OrderBy(_ => Random.Shared.Next()).ToList();
        using var http = server.CreateClient();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<(string Phone, bool First, HttpStatusCode Status)>();
        await Parallel.ForEachAsync(attempts, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = Ct }, async (attempt, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/ballots/{id}/votes") { Content = System.Net.Http.Json.JsonContent.Create(new { choices = new { q1 = attempt.Choice } }) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens[attempt.Phone]);
            using var response = await http.SendAsync(request, ct);
            statuses.Add((attempt.Phone, attempt.First, response.StatusCode));
        });

        // Each voter got exactly one 201, whichever of their two attempts arrived first; every other attempt a 409.
        Assert.Equal(1000, statuses.Count(s => s.Status == HttpStatusCode.Created));
        Assert.Equal(250, statuses.Count(s => s.Status == HttpStatusCode.Conflict));
        Assert.All(statuses.GroupBy(s => s.Phone), g => Assert.Equal(1, g.Count(s => s.Status == HttpStatusCode.Created)));
        clock.Advance(TimeSpan.FromDays(1));
        using var admin = await server.SignedInClientAsync("admin", Ct);
        var result = (await ClosedResultAsync(admin, id, Ct))["result"]!;
        var counts = result["questions"]![0]!["counts"]!;
        var total = counts["yes"]!.GetValue<int>() + counts["no"]!.GetValue<int>() + counts["abstain"]!.GetValue<int>();
        Assert.Equal((1000, 1000, 1000), (result["attendees"]!.GetValue<int>(), result["electorate"]!.GetValue<int>(), total));
        // The voters whose only attempt was their first have exactly their choice counted; duplicates moved nothing beyond their own count.
        var firstWins = statuses.Where(s => s.Status == HttpStatusCode.Created).Select(s => s.Phone).ToHashSet();
        Assert.Equal(1000, firstWins.Count);
    }

    [Fact]
    public async Task ACopyOfTheDatabase_CannotLinkVotersToChoices_ByKeysRowOrderOrTime()
    {
        var (server, clock) = Start();
        var residents = Adults(300, 13600000000);
        await server.ImportAsync(residents, Ct);
        var id = (await server.BallotOfAsync(await server.StartAsync(Vote("secret", Settings), "secret", "v9", Ct), Ct))["id"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromDays(1));
        var tokens = await server.TokensByPhoneAsync([.. residents.Select(r => r.Phone)], Ct);
        var userIds = await UserIdsAsync(server);
        // One at a time, in a known order, with choices the test knows: what an insider watching the clock would know.
        var random = new Random(20261128);
        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var resident in residents.OrderBy(_ => random.Next()))
        {
            var choice = random.Next(2) == 0 ? "yes" : "no";
            using var voter = server.ClientWith(tokens[resident.Phone]);
            using var cast = await voter.VoteAsync(id, new { q1 = choice }, cancellationToken: Ct);
            await cast.ReadJsonAsync(HttpStatusCode.Created, Ct);
            chosen[userIds[resident.Phone]] = "q1=" + choice;
            order.Add(userIds[resident.Phone]);
        }

        var (turnout, slots) = await DumpAsync(server, id);

        // No timestamp and nothing that names a person or a vote in common: the slot table holds choices, a random id and a hash.
        Assert.Equal(["BallotId", "Channel", "CountKey"], turnout.Columns.Order(StringComparer.Ordinal));
        Assert.Equal(["BallotId", "Choices", "ReceiptHash", "SlotId", "Voter"], slots.Columns.Order(StringComparer.Ordinal));
        var slotValues = slots.Rows.SelectMany(r => r.Values).Where(v => v is not null).Select(v => v!).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(slotValues, chosen.Keys.Contains);
        Assert.All(slots.Rows, r => Assert.Null(r["Voter"]));

        // Row order: pair the who-voted rows with the choice rows in the order the database stores them, and pair the
        // voting order the insider saw with the stored choices. Either pairing guesses a voter's choice no better than a coin.
        var stored = slots.Rows.Where(r => r["Choices"] is not null).Select(r => r["Choices"]!).ToList();
        var voted = turnout.Rows.Where(r => r["Channel"] is not null).Select(r => r["CountKey"]!).ToList();
        Assert.Equal(300, stored.Count);
        AssertNoBetterThanChance(voted, stored, chosen);
        AssertNoBetterThanChance(order, stored, chosen);
        AssertNoBetterThanChance(Enumerable.Reverse(order).ToList(), stored, chosen);
    }

    private static void AssertNoBetterThanChance(IReadOnlyList<string> voters, IReadOnlyList<string> choices, Dictionary<string, string> truth)
    {
        var right = voters.Zip(choices).Count(pair => truth[pair.First] == pair.Second);
        // Two options, 300 pairs: a coin gets 150 ± 8.7; outside ±5 standard deviations the order would be leaking.
        Assert.InRange(right, 106, 194);
    }

    private static async Task<Dictionary<string, string>> UserIdsAsync(WebApplicationFactory<Program> server)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        return await db.Users.Where(u => u.PhoneNumber != null).ToDictionaryAsync(u => u.PhoneNumber!, u => u.Id, Ct);
    }

    private sealed record Table(IReadOnlyList<string> Columns, IReadOnlyList<Dictionary<string, string?>> Rows);

    /// <summary>
    /// Both tables as a dump reads them: every column, rows in storage order (SQLite: a plain scan, which is key order
    /// for these WITHOUT ROWID tables; PostgreSQL: physical order, by ctid).
    /// </summary>
    private static async Task<(Table Turnout, Table Slots)> DumpAsync(WebApplicationFactory<Program> server, string ballotId)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var postgres = db.Database.ProviderName!.Contains("Npgsql", StringComparison.Ordinal);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        if (!postgres)
        {
            // No hidden rowid counts the insertions.
            await using var rowid = connection.CreateCommand();
            rowid.CommandText = "SELECT rowid FROM yishi_ballot_slots";
            await Assert.ThrowsAnyAsync<DbException>(() => rowid.ExecuteScalarAsync(Ct));
        }

        var order = postgres ? " ORDER BY ctid" : "";
        return (await ReadAsync(connection, $"SELECT * FROM yishi_ballot_turnout{order}"), await ReadAsync(connection, $"SELECT * FROM yishi_ballot_slots{order}"));
    }

    private static async Task<Table> ReadAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<Dictionary<string, string?>>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(columns.Select((c, i) => (c, reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)))
                .ToDictionary(x => x.c, x => x.Item2, StringComparer.Ordinal));
        }

        return new Table(columns, rows);
    }
}
