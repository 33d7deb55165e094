using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yishi.Server.Audit;
using Yishi.Server.Data;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Audit;

public sealed class SqliteAuditChain : AuditChainScenario<SqliteTestDatabase>;

public sealed class PostgreSqlAuditChain : AuditChainScenario<PostgreSqlTestDatabase>;

/// <summary>
/// The audit chain on a real database: appends link up, concurrent appends (in one process and from a second one)
/// leave no gap, and tampering inside the database is found — a changed entry by its hash, a consistently rewritten
/// chain or a cut-off tail by an anchor kept from before.
/// </summary>
public abstract class AuditChainScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task Append_LinksEachEntryToThePreviousOne_AndTheChainVerifies()
    {
        var audit = NewServer().Services.GetRequiredService<AuditLog>();

        var first = await audit.AppendAsync("ballot.opened", "ballot:o-1", new JsonObject { ["electorate"] = 12 }, Ct);
        var second = await audit.AppendAsync("ballot.turnout", "ballot:o-1", new JsonObject { ["voted"] = 5, ["note"] = "第一天" }, Ct);

        var entries = await ReadAllAsync(audit, null);
        Assert.Equal([1L, 2L], entries.Select(e => e.Sequence));
        Assert.Equal(new string('0', 64), entries[0].PrevHash);
        Assert.Equal(first.Hash, entries[1].PrevHash);
        Assert.Equal("""{"voted":5,"note":"第一天"}""", entries[1].Data);
        Assert.Equal(second, await audit.HeadAsync(Ct));
        var verified = await audit.VerifyAsync(second, Ct);
        Assert.True(verified.Valid, verified.Reason);
        Assert.Equal(2, verified.Entries);
        Assert.Equal(second, verified.Head);
    }

    [Fact]
    public async Task ConcurrentAppends_FromManyTasksAndASecondProcess_LeaveAGapFreeValidChain()
    {
        var server = NewServer();
        var audit = server.Services.GetRequiredService<AuditLog>();
        // A second log with a lock of its own stands for another server process on the same database: only the
        // primary key on the sequence keeps the two apart.
        using var otherProcess = new AuditLog(server.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
            server.Services.GetRequiredService<ILogger<AuditLog>>());
        const int appends = 80;

        var heads = await Task.WhenAll(Enumerable.Range(1, appends).Select(i => Task.Run(() =>
            (i % 2 == 0 ? audit : otherProcess).AppendAsync("consultation.opinion-posted", "consultation:o-" + i, new JsonObject { ["n"] = i }, Ct))));

        var entries = await ReadAllAsync(audit, null);
        Assert.Equal(Enumerable.Range(1, appends).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(appends, heads.Select(h => h.Sequence).Distinct().Count());
        Assert.Equal(appends, entries.Select(e => e.Subject).Distinct().Count());
        var verified = await audit.VerifyAsync(null, Ct);
        Assert.True(verified.Valid, verified.Reason);
        Assert.Equal(appends, verified.Entries);
    }

    [Fact]
    public async Task ChangingOneEntrysData_InTheDatabase_IsFoundAtThatEntry()
    {
        var server = NewServer();
        var audit = server.Services.GetRequiredService<AuditLog>();
        await AppendSomeAsync(audit, 5);

        await ExecuteAsync(server, db => db.Database.ExecuteSqlAsync($"""UPDATE yishi_audit SET "Data" = {"""{"turnout":99}"""} WHERE "Sequence" = {3L}""", Ct));

        var verified = await audit.VerifyAsync(null, Ct);
        Assert.False(verified.Valid);
        Assert.Equal(3, verified.BrokenAt);
        Assert.Equal(2, verified.Entries);
        Assert.Contains("hash", verified.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARewrittenChain_PassesPlainVerification_ButNotTheAnchorPublishedBefore()
    {
        var server = NewServer();
        var audit = server.Services.GetRequiredService<AuditLog>();
        await AppendSomeAsync(audit, 5);
        var anchor = (await audit.HeadAsync(Ct))!;

        // Someone with database access changes entry 2 and recomputes every hash after it, consistently.
        var entries = await ReadAllAsync(audit, null);
        var previous = entries[0].Hash;
        foreach (var entry in entries.Skip(1))
        {
            var data = entry.Sequence == 2 ? """{"turnout":99}""" : entry.Data;
            var hash = AuditChain.HashOf(entry with { Data = data, PrevHash = previous });
            await ExecuteAsync(server, db => db.Database.ExecuteSqlAsync(
                $"""UPDATE yishi_audit SET "Data" = {data}, "PrevHash" = {previous}, "Hash" = {hash} WHERE "Sequence" = {entry.Sequence}""", Ct));
            previous = hash;
        }

        var plain = await audit.VerifyAsync(null, Ct);
        var anchored = await audit.VerifyAsync(anchor, Ct);

        Assert.True(plain.Valid, plain.Reason);
        Assert.False(anchored.Valid);
        Assert.Equal(anchor.Sequence, anchored.BrokenAt);
        using var staff = await server.ClientForAsync("staff", Ct);
        using var answer = await staff.GetAsync($"/api/audit/verify?anchor={anchor}", Ct);
        var body = await answer.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.False(body["valid"]!.GetValue<bool>());
        Assert.Equal(5, body["brokenAt"]!.GetValue<long>());
        Assert.Equal(5, body["head"]!["sequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task CuttingOffTheNewestEntries_IsFoundWithTheAnchor()
    {
        var server = NewServer();
        var audit = server.Services.GetRequiredService<AuditLog>();
        await AppendSomeAsync(audit, 4);
        var anchor = (await audit.HeadAsync(Ct))!;

        await ExecuteAsync(server, db => db.Database.ExecuteSqlAsync($"""DELETE FROM yishi_audit WHERE "Sequence" > {2L}""", Ct));

        Assert.True((await audit.VerifyAsync(null, Ct)).Valid);
        var anchored = await audit.VerifyAsync(anchor, Ct);
        Assert.False(anchored.Valid);
        Assert.Equal(4, anchored.BrokenAt);
        Assert.Contains("removed", anchored.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("5:xyz")]
    [InlineData("0:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("-1:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData(":0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Verify_WithAMalformedAnchor_Answers400(string anchor)
    {
        var server = NewServer();
        using var staff = await server.ClientForAsync("staff", Ct);

        using var answer = await staff.GetAsync("/api/audit/verify?anchor=" + Uri.EscapeDataString(anchor), Ct);

        await answer.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-anchor", Ct);
    }

    [Fact]
    public async Task Export_GivesJsonLines_ThatAnOutsiderCanReverify()
    {
        var server = NewServer();
        var audit = server.Services.GetRequiredService<AuditLog>();
        await audit.AppendAsync("consultation.opened", "consultation:o-7", new JsonObject { ["kind"] = "opinions" }, Ct);
        await audit.AppendAsync("ballot.opened", "ballot:o-8", new JsonObject { ["electorate"] = 3 }, Ct);
        await audit.AppendAsync("consultation.closed", "consultation:o-7", new JsonObject { ["support"] = 2, ["理由"] = "到期" }, Ct);
        using var staff = await server.ClientForAsync("staff", Ct);

        using var all = await staff.GetAsync("/api/audit/export", Ct);
        using var one = await staff.GetAsync("/api/audit/export?subject=consultation:o-7", Ct);

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("application/x-ndjson", all.Content.Headers.ContentType?.MediaType);
        var lines = (await all.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, lines.Count);
        // Recomputed here from the documented encoding, not with the server's code.
        var previous = new string('0', 64);
        foreach (var line in lines)
        {
            Assert.Equal(previous, line["prevHash"]!.GetValue<string>());
            Assert.Equal(OutsideHash(line), line["hash"]!.GetValue<string>());
            previous = line["hash"]!.GetValue<string>();
        }

        var subjectLines = (await one.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([1L, 3L], subjectLines.Select(l => JsonNode.Parse(l)!["sequence"]!.GetValue<long>()));
    }

    [Fact]
    public async Task List_BySubjectAndFrom_AndHead_AreForStaff()
    {
        var server = NewServer();
        using var staff = await server.ClientForAsync("staff", Ct);
        using (var empty = await staff.GetAsync("/api/audit/head", Ct))
        {
            await empty.ReadProblemAsync(HttpStatusCode.NotFound, "audit-empty", Ct);
        }

        var audit = server.Services.GetRequiredService<AuditLog>();
        await AppendSomeAsync(audit, 6);

        using var listed = await staff.GetAsync("/api/audit?subject=ballot:o-1&from=3&limit=1", Ct);
        using var head = await staff.GetAsync("/api/audit/head", Ct);
        using var resident = await server.ClientForAsync("resident1", Ct);
        using var refused = await resident.GetAsync("/api/audit/head", Ct);

        var rows = (await listed.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
        Assert.Equal(3, Assert.Single(rows)!["sequence"]!.GetValue<long>());
        var headBody = await head.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal(6, headBody["sequence"]!.GetValue<long>());
        Assert.Equal($"6:{headBody["hash"]!.GetValue<string>()}", headBody["anchor"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    /// <summary>Odd entries about ballot:o-1, even ones about ballot:o-2.</summary>
    private static async Task AppendSomeAsync(AuditLog audit, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await audit.AppendAsync("ballot.turnout", i % 2 == 1 ? "ballot:o-1" : "ballot:o-2", new JsonObject { ["voted"] = i }, Ct);
        }
    }

    private static async Task<List<AuditEntry>> ReadAllAsync(AuditLog audit, string? subject)
    {
        var entries = new List<AuditEntry>();
        await foreach (var entry in audit.ReadAsync(subject, cancellationToken: Ct))
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static async Task ExecuteAsync(YishiFactory server, Func<ServerDbContext, Task<int>> sql)
    {
        await using var scope = server.Services.CreateAsyncScope();
        Assert.True(await sql(scope.ServiceProvider.GetRequiredService<ServerDbContext>()) > 0, "The statement changed no row.");
    }

    /// <summary>SHA-256 over "yishi-audit-1\n" and each field as "&lt;UTF-8 length&gt;:&lt;field&gt;\n", as the export's readers are told.</summary>
    private static string OutsideHash(JsonNode line)
    {
        var text = new StringBuilder("yishi-audit-1\n");
        foreach (var field in new[] { line["sequence"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture), line["at"]!.GetValue<string>(),
                     line["kind"]!.GetValue<string>(), line["subject"]!.GetValue<string>(), line["data"]!.GetValue<string>(), line["prevHash"]!.GetValue<string>() })
        {
            text.Append(CultureInfo.InvariantCulture, $"{Encoding.UTF8.GetByteCount(field)}:{field}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
