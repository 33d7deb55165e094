using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yishi.Benchmarks.Http;
using Yishi.Engine.EntityFrameworkCore;
using Yishi.Server.Ballots;
using Yishi.Server.Data;
using Yishi.Server.Hosting;

namespace Yishi.Benchmarks.Votes;

/// <summary>
/// A village votes: every resident on a ballot's roll casts one vote at once over loopback against the real server
/// process (SQLite), with one in ten trying a second time after their vote is in. Tokens are minted before the clock
/// starts, from the server's own database and data protection keys, because residents have no password and the login
/// endpoint allows ten tries a minute. Each round is a fresh ballot (a new case, a new frozen roll of the same
/// residents); it closes early once everyone has voted, and its count is checked against the 201s the voters got.
/// The tally figure is the server's counter over a synthetic ballot with ten times the voters, on a scratch file.
/// </summary>
internal static class VotesBenchmark
{
    private const string DefinitionId = "bench-votes";
    private const string Unit = "bench";
    private const string WarmUpUnit = "bench-warm";
    private const int WarmUpVoters = 500;
    private const long FirstPhone = 13_900_000_001;
    private const long FirstWarmUpPhone = 13_700_000_001;
    // The import saves one user at a time in one transaction and EF checks every tracked user on each save: smaller
    // files keep that from growing with the square of the rows (setup only, before any clock).
    private const int ImportRows = 1_000;
    // Every tenth voter votes again once their vote is in: part of the load, refused with 409, not part of n.
    private const int DuplicateEvery = 10;
    private const int TallyRuns = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    // Notice PT1S: WorkDuration takes ISO seconds, so voting opens on the ballot loop's next pass after the roll is frozen.
    private const string Definition = """
        {"definitionId":"bench-votes","name":{"zh-CN":"基准表决","en":"Bench vote"},"variables":[{"name":"result","type":"object"}],
         "activities":[{"id":"start","type":"Start"},
           {"id":"vote","type":"Ballot","properties":{"title":"基准表决","variable":"result","rule":"simple-majority","notice":"PT1S","votingPeriod":{"hours":2},"earlyClose":true}},
           {"id":"done","type":"End"}],
         "connections":[{"from":"start","to":"vote"},{"from":"vote","outcome":"passed","to":"done"},{"from":"vote","outcome":"rejected","to":"done"},{"from":"vote","outcome":"no_quorum","to":"done"}]}
        """;

    private static readonly string[] Options = ["yes", "no", "abstain"];
    private static readonly byte[][] Bodies = [.. Options.Select(o => Encoding.UTF8.GetBytes($$$"""{"choices":{"q1":"{{{o}}}"}}"""))];

    private sealed record Session(HttpClient Http, ServerProcess Server, string Admin);

    private sealed record Ballot(string Id, string Questions);

    /// <summary>One ballot voted through: the figures of the round and what its count said.</summary>
    private sealed record Round(string Questions, int Accepted, double Seconds, double P95, int Duplicates, int Refused, int Errors, int Lost, int Double, int Mismatched,
        double ServerCpu, double ClientCpu, double MachineCpu)
    {
        public double PerSecond => Accepted / Seconds;
    }

    public static async Task<int> RunAsync(int voters, int tallySlots, int[] concurrencies, int rounds, CancellationToken cancellationToken)
    {
        var setup = Stopwatch.StartNew();
        await using var server = await ServerProcess.StartAsync(cancellationToken);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrencies.Max(), PooledConnectionLifetime = TimeSpan.FromMinutes(30) };
        using var http = new HttpClient(handler) { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
        // One sign-in each: the login endpoint allows ten tries a minute per address.
        var session = new Session(http, server, await ServerCalls.LoginAsync(http, "admin", cancellationToken));
        var staff = await ServerCalls.LoginAsync(http, "staff", cancellationToken);
        Say($"votes: server pid={server.ProcessId} up in {setup.Elapsed.TotalSeconds:F1} s");

        var phase = Stopwatch.StartNew();
        await CreateUnitAsync(session, Unit, "基准村", "Bench", cancellationToken);
        await CreateUnitAsync(session, WarmUpUnit, "预热村", "Bench warm-up", cancellationToken);
        var phones = Phones(FirstPhone, voters);
        var warmUpPhones = Phones(FirstWarmUpPhone, WarmUpVoters);
        await ImportAsync(session, phones, Unit, cancellationToken);
        await ImportAsync(session, warmUpPhones, WarmUpUnit, cancellationToken);
        Say($"votes: imported {voters + WarmUpVoters:N0} residents in {phase.Elapsed.TotalSeconds:F1} s");
        await ServerCalls.SendAsync(http, HttpMethod.Post, "/api/definitions", staff, new StringContent(Definition, Encoding.UTF8, "application/json"), cancellationToken);
        await ServerCalls.SendAsync(http, HttpMethod.Post, $"/api/definitions/{DefinitionId}/publish", staff, null, cancellationToken);

        phase.Restart();
        var tokens = await MintTokensAsync(server.DatabaseFile, [Unit, WarmUpUnit], cancellationToken);
        var roll = phones.Select(p => tokens[p]).ToArray();
        var warmUpRoll = warmUpPhones.Select(p => tokens[p]).ToArray();
        using (var me = await ServerCalls.SendAsync(http, HttpMethod.Get, "/api/me", roll[0], null, cancellationToken))
        {
            if (me.RootElement.GetProperty("userName").GetString() != phones[0])
            {
                throw new InvalidOperationException("A minted token signs in as someone else.");
            }
        }

        Say($"votes: minted {tokens.Count:N0} tokens in {phase.Elapsed.TotalSeconds:F1} s (GET /api/me accepts them)");

        // Warm-up: JIT, connections, the writer's statements; then the full roll once, so the first concurrency tried is not
        // the one still running tier-0 code (it measured a quarter slower than the others without it). Not measured, but
        // counted for lost and double.
        var all = new List<Round>
        {
            await RoundAsync(session, WarmUpUnit, warmUpRoll, concurrencies.Max(), "warm-up", cancellationToken),
            await RoundAsync(session, Unit, roll, concurrencies.Max(), "warm-up", cancellationToken),
        };
        var trials = new List<(int Concurrency, Round Round)>();
        foreach (var concurrency in concurrencies)
        {
            trials.Add((concurrency, await RoundAsync(session, Unit, roll, concurrency, "trial", cancellationToken)));
            all.Add(trials[^1].Round);
        }

        var best = trials.MaxBy(t => t.Round.PerSecond).Concurrency;
        Say($"votes: best concurrency {best} in flight (tried {string.Join(", ", concurrencies)})");
        var measured = new List<Round>();
        for (var round = 1; round <= rounds; round++)
        {
            measured.Add(await RoundAsync(session, Unit, roll, best, $"round {round}", cancellationToken));
            all.Add(measured[^1]);
        }

        // The synthetic ballot asks what the real one asked, as the server stored it.
        var tally = await TallyAsync(measured[^1].Questions, tallySlots, cancellationToken);
        var perSecond = Median.Of([.. measured.Select(r => r.PerSecond)]);
        var p95 = Median.Of([.. measured.Select(r => r.P95)]);
        var (lost, doubled) = (all.Sum(r => r.Lost), all.Sum(r => r.Double));
        var (errors, mismatched) = (all.Sum(r => r.Errors), all.Sum(r => r.Mismatched));
        Say($"votes: medians of {rounds} round(s) of {voters:N0} at {best} in flight; lost/double summed over all {all.Count} ballots; errors={errors} mismatched_counts={mismatched}");
        Say($"votes: targets per_s>=2000 {(perSecond >= 2_000 ? "met" : "MISSED")}, tally_ms<=200 {(tally <= 200 ? "met" : "MISSED")} (tally of {tallySlots:N0})");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"votes: n={voters} per_s={perSecond:F0} p95_ms={p95:F0} lost={lost} double={doubled} tally_ms={tally:F0}"));
        return lost == 0 && doubled == 0 && errors == 0 && mismatched == 0 ? 0 : 1;
    }

    /// <summary>A new case and its ballot; every voter votes once, one in ten twice; then waits for the close and checks the count.</summary>
    private static async Task<Round> RoundAsync(Session session, string unit, string[] tokens, int concurrency, string label, CancellationToken cancellationToken)
    {
        var ballot = await OpenBallotAsync(session, unit, tokens.Length, cancellationToken);
        var n = tokens.Length;
        var random = new Random(n ^ concurrency ^ label.Length);
        var choices = Enumerable.Range(0, n).Select(_ => random.Next(Options.Length)).ToArray();
        var created = new int[n];
        var latencies = new double[n];
        var again = new ConcurrentQueue<int>();
        var failed = new ConcurrentQueue<int>();
        var samples = new ConcurrentQueue<string>();
        var (next, pending, duplicates, refused, refusedAsClosed, errors) = (-1, n, 0, 0, 0, 0);
        var path = $"/api/ballots/{ballot.Id}/votes";
        using var self = Process.GetCurrentProcess();
        var (serverCpu, clientCpu, machineCpu) = (session.Server.ProcessorTime, self.TotalProcessorTime, MachineBusy());
        var clock = Stopwatch.StartNew();

        async Task WorkAsync()
        {
            while (true)
            {
                if (again.TryDequeue(out var twice))
                {
                    // A different choice, so a second vote that slipped through would also show in the counts.
                    var (status, body) = await VoteAsync(session.Http, path, tokens[twice], Bodies[(choices[twice] + 1) % Options.Length], cancellationToken);
                    Interlocked.Increment(ref duplicates);
                    if (status == HttpStatusCode.Conflict)
                    {
                        Interlocked.Increment(ref refused);
                        // The last second tries may arrive after the early close: refused as closed rather than as already voted.
                        if (body.Contains("ballot-closed", StringComparison.Ordinal))
                        {
                            Interlocked.Increment(ref refusedAsClosed);
                        }
                    }
                    else if (status == HttpStatusCode.Created)
                    {
                        Interlocked.Increment(ref created[twice]);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                        samples.Enqueue($"second vote: {(int)status} {body}");
                    }

                    continue;
                }

                var i = Interlocked.Increment(ref next);
                if (i >= n)
                {
                    // First votes are all sent; stay while one in flight may still queue a second try.
                    if (Volatile.Read(ref pending) == 0 && again.IsEmpty)
                    {
                        return;
                    }

                    await Task.Delay(1, cancellationToken);
                    continue;
                }

                var begin = Stopwatch.GetTimestamp();
                var (first, text) = await VoteAsync(session.Http, path, tokens[i], Bodies[choices[i]], cancellationToken);
                if (first == HttpStatusCode.Created && text.Contains("\"receipt\":\"", StringComparison.Ordinal))
                {
                    latencies[i] = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
                    Interlocked.Increment(ref created[i]);
                    if (i % DuplicateEvery == 0)
                    {
                        again.Enqueue(i);
                    }
                }
                else
                {
                    Interlocked.Increment(ref errors);
                    failed.Enqueue(i);
                    samples.Enqueue($"vote: {(int)first} {text}");
                }

                Interlocked.Decrement(ref pending);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync, cancellationToken)));
        var seconds = clock.Elapsed.TotalSeconds;
        self.Refresh();
        (serverCpu, clientCpu, machineCpu) = (session.Server.ProcessorTime - serverCpu, self.TotalProcessorTime - clientCpu, MachineBusy() - machineCpu);
        var sorted = Enumerable.Range(0, n).Where(i => created[i] > 0).Select(i => latencies[i]).Order().ToArray();
        var accepted = sorted.Length;
        var p95 = sorted.Length == 0 ? 0 : sorted[(int)Math.Ceiling(0.95 * sorted.Length) - 1];

        // Off the clock: votes that failed are sent again, so the roll is complete and the ballot closes early.
        foreach (var i in failed)
        {
            var (status, _) = await VoteAsync(session.Http, path, tokens[i], Bodies[choices[i]], cancellationToken);
            created[i] += status == HttpStatusCode.Created ? 1 : 0;
        }

        var closing = Stopwatch.StartNew();
        var result = await ClosedResultAsync(session, ballot.Id, cancellationToken);
        var count = result.GetProperty("result");
        var attendees = count.GetProperty("attendees").GetInt32();
        var question = count.GetProperty("questions")[0];
        var counted = Options.Select(o => question.GetProperty("counts").GetProperty(o).GetInt32()).ToArray();
        var cast = created.Sum();
        var lost = Math.Max(0, cast - attendees);
        var doubled = Math.Max(0, attendees - cast) + created.Count(c => c > 1);
        // The counts must be the first votes' choices exactly: anything else is a vote lost, doubled or changed.
        var expected = Options.Select((_, o) => Enumerable.Range(0, n).Count(i => created[i] > 0 && choices[i] == o)).ToArray();
        var mismatched = (counted.Sum() + question.GetProperty("blank").GetInt32() == attendees ? 0 : 1) + counted.Where((c, o) => c != expected[o]).Count();
        var round = new Round(ballot.Questions, accepted, seconds, p95, duplicates, refused, errors, lost, doubled, mismatched,
            serverCpu.TotalSeconds / seconds, clientCpu.TotalSeconds / seconds, machineCpu.TotalSeconds / seconds);
        Say($"votes: {label} c={concurrency} n={accepted} s={seconds:F2} per_s={round.PerSecond:F0} p95_ms={p95:F1} duplicates={duplicates} refused_409={refused} (closed {refusedAsClosed}) errors={errors} " +
            $"server_cpu={100 * round.ServerCpu:F0}% client_cpu={100 * round.ClientCpu:F0}% " +
            $"others_cpu={100 * Math.Max(0, round.MachineCpu - round.ServerCpu - round.ClientCpu):F0}% of {100 * Environment.ProcessorCount}% attendees={attendees} counts={string.Join('/', counted)} lost={lost} double={doubled} " +
            $"mismatched={mismatched} closed_after_s={closing.Elapsed.TotalSeconds:F1}");
        foreach (var sample in samples.Take(3))
        {
            Say($"votes:   e.g. {sample}");
        }

        return round;
    }

    private static async Task<(HttpStatusCode Status, string Body)> VoteAsync(HttpClient http, string path, string token, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException exception)
        {
            return (0, exception.Message);
        }
    }

    /// <summary>Starts a case in the unit and waits until its ballot is open, with the whole roll on it.</summary>
    private static async Task<Ballot> OpenBallotAsync(Session session, string unit, int electorate, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        string instance;
        using (var started = await ServerCalls.SendAsync(session.Http, HttpMethod.Post, "/api/instances", session.Admin, JsonContent.Create(new { definitionId = DefinitionId, orgUnitId = unit }), cancellationToken))
        {
            instance = started.RootElement.GetProperty("id").GetString()!;
        }

        string? id = null;
        while (waited.Elapsed < Patience)
        {
            if (id is null)
            {
                using var list = await ServerCalls.SendAsync(session.Http, HttpMethod.Get, "/api/ballots", session.Admin, null, cancellationToken);
                id = list.RootElement.EnumerateArray().Where(b => b.GetProperty("instanceId").GetString() == instance).Select(b => b.GetProperty("id").GetString()).FirstOrDefault();
            }

            if (id is not null)
            {
                using var view = await ServerCalls.SendAsync(session.Http, HttpMethod.Get, $"/api/ballots/{id}", session.Admin, null, cancellationToken);
                if (view.RootElement.GetProperty("status").GetString() == "open")
                {
                    var roll = view.RootElement.GetProperty("electorate").GetInt32();
                    return roll == electorate
                        ? new Ballot(id, view.RootElement.GetProperty("questions").GetRawText())
                        : throw new InvalidOperationException($"Ballot {id} has {roll} on its roll, not {electorate}.");
                }
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"The ballot of case {instance} did not open within {Patience.TotalSeconds} s.");
    }

    /// <summary>Waits until the ballot has closed and its close is in the audit chain; answers the result.</summary>
    private static async Task<JsonElement> ClosedResultAsync(Session session, string ballotId, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Patience)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/ballots/{ballotId}/result");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Admin);
            using var response = await session.Http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (body.RootElement.GetProperty("auditHead").ValueKind == JsonValueKind.String)
                {
                    return body.RootElement.Clone();
                }
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"Ballot {ballotId} did not close within {Patience.TotalSeconds} s of the last vote.");
    }

    /// <summary>
    /// The server's counter over a synthetic ballot of <paramref name="slots"/> filled slots on a scratch file migrated
    /// like the server's, so the figure is the query and the decision alone: median of five after one warm-up run.
    /// </summary>
    private static async Task<double> TallyAsync(string questions, int slots, CancellationToken cancellationToken)
    {
        using var scratch = ScratchFolder.Create();
        await using var app = BuildHost(scratch.File("tally.db"));
        await app.Services.GetRequiredService<YishiDatabase>().MigrateAsync(cancellationToken);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var ballot = new BallotRecord
        {
            Id = ElectorateFreezer.RandomId(), InstanceId = ElectorateFreezer.RandomId(), ActivityId = "vote", DefinitionId = DefinitionId, OrgUnitId = Unit,
            OrgPath = "/s1/bench/", Title = "\"基准表决\"", Questions = questions, Mode = "person", Rule = "simple-majority", Status = "open",
            Electorate = slots, NoticeAt = now, FrozenOn = DateOnly.FromDateTime(now.UtcDateTime), OpensAt = now, ClosesAt = now.AddHours(2), EarlyClose = true,
        };
        db.Ballots.Add(ballot);
        await db.SaveChangesAsync(cancellationToken);

        // Random proportions; each row as a vote leaves it: random slot id, packed choice, receipt hash.
        var random = new Random(slots);
        var shares = new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() };
        var expected = new int[Options.Length];
        var (slotId, receipt) = (new byte[16], new byte[32]);
        var phase = Stopwatch.StartNew();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """INSERT INTO yishi_ballot_slots ("BallotId", "SlotId", "Choices", "ReceiptHash") VALUES (@ballot, @slot, @choices, @receipt)""";
            foreach (var name in new[] { "@ballot", "@slot", "@choices", "@receipt" })
            {
                var parameter = insert.CreateParameter();
                parameter.ParameterName = name;
                insert.Parameters.Add(parameter);
            }

            await insert.PrepareAsync(cancellationToken);
            insert.Parameters[0].Value = ballot.Id;
            for (var i = 0; i < slots; i++)
            {
                var pick = random.NextDouble() * shares.Sum();
                var option = pick < shares[0] ? 0 : pick < shares[0] + shares[1] ? 1 : 2;
                expected[option]++;
                random.NextBytes(slotId);
                random.NextBytes(receipt);
                insert.Parameters[1].Value = Convert.ToHexStringLower(slotId);
                insert.Parameters[2].Value = "q1=" + Options[option];
                insert.Parameters[3].Value = Convert.ToHexStringLower(receipt);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        Say($"votes: inserted {slots:N0} filled slots in {phase.Elapsed.TotalSeconds:F1} s ({string.Join('/', expected)} yes/no/abstain)");
        var counter = new BallotCounter(new Yishi.Engine.Expressions.ExpressionEngine());
        var times = new List<double>();
        for (var run = 0; run <= TallyRuns; run++)
        {
            var begin = Stopwatch.GetTimestamp();
            var result = await counter.CountAsync(db, ballot, now, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            var counts = Options.Select(o => result.Questions[0].Counts.GetValueOrDefault(o)).ToArray();
            if (result.Attendees != slots || !counts.SequenceEqual(expected))
            {
                throw new InvalidOperationException($"The tally counted {result.Attendees} ({string.Join('/', counts)}), not {slots} ({string.Join('/', expected)}).");
            }

            Say($"votes: tally {(run == 0 ? "warm-up" : $"run {run}")} {elapsed:F1} ms ({result.OutcomeName})");
            if (run > 0)
            {
                times.Add(elapsed);
            }
        }

        return Median.Of(times);
    }

    /// <summary>
    /// Bearer tokens as the sign-in endpoint makes them, from a host built (not run) with the server's own registration
    /// on the server's database, so the claims and the data protection keys (kept in that database) are the server's.
    /// </summary>
    private static async Task<Dictionary<string, string>> MintTokensAsync(string databaseFile, string[] units, CancellationToken cancellationToken)
    {
        await using var app = BuildHost(databaseFile);
        await using var scope = app.Services.CreateAsyncScope();
        var users = await scope.ServiceProvider.GetRequiredService<ServerDbContext>().Users.AsNoTracking().Where(u => units.Contains(u.OrgUnitId)).ToListAsync(cancellationToken);
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<YishiUser>>();
        var protector = app.Services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme).BearerTokenProtector;
        var expires = app.Services.GetRequiredService<TimeProvider>().GetUtcNow() + TimeSpan.FromHours(1);
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            var principal = await signIn.CreateUserPrincipalAsync(user);
            tokens[user.PhoneNumber!] = protector.Protect(new AuthenticationTicket(principal, new AuthenticationProperties { ExpiresUtc = expires }, IdentityConstants.BearerScheme));
        }

        return tokens;
    }

    private static WebApplication BuildHost(string databaseFile)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Database:Provider"] = "Sqlite";
        builder.Configuration["Database:ConnectionString"] = $"Data Source={databaseFile}";
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.AddYishiServer();
        return builder.Build();
    }

    /// <summary>
    /// CPU time of the whole machine (every process, every core) from <c>/proc/stat</c>: on a shared machine, what the
    /// other processes took during a round says whether the server was short of cores. Zero where there is no /proc.
    /// </summary>
    private static TimeSpan MachineBusy()
    {
        if (!File.Exists("/proc/stat"))
        {
            return TimeSpan.Zero;
        }

        // cpu user nice system idle iowait irq softirq steal (guest time is already in user), in USER_HZ ticks of 10 ms.
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..9].Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        return TimeSpan.FromMilliseconds(10.0 * (ticks.Sum() - ticks[3] - ticks[4]));
    }

    private static List<string> Phones(long first, int count) => [.. Enumerable.Range(0, count).Select(i => (first + i).ToString(CultureInfo.InvariantCulture))];

    private static async Task CreateUnitAsync(Session session, string id, string name, string nameEn, CancellationToken cancellationToken)
    {
        using var created = await ServerCalls.SendAsync(session.Http, HttpMethod.Post, "/api/admin/org-units", session.Admin,
            JsonContent.Create(new { id, parentId = "s1", kind = "village", name, nameEn }), cancellationToken);
    }

    /// <summary>Verified adults, one import per <see cref="ImportRows"/> rows.</summary>
    private static async Task ImportAsync(Session session, List<string> phones, string unit, CancellationToken cancellationToken)
    {
        foreach (var chunk in phones.Select((phone, i) => (phone, i)).Chunk(ImportRows))
        {
            var csv = new StringBuilder("name,phone,org_unit,household,household_representative,birth_date,representative,verified\n");
            foreach (var (phone, i) in chunk)
            {
                csv.Append(CultureInfo.InvariantCulture, $"村民{i + 1},{phone},{unit},,no,1970-01-01,no,yes\n");
            }

            using var content = new StringContent(csv.ToString(), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            using var imported = await ServerCalls.SendAsync(session.Http, HttpMethod.Post, "/api/admin/residents/import", session.Admin, content, cancellationToken);
        }
    }


    private static void Say(string line) => Console.WriteLine(line);
}
