using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Yishi.Benchmarks.Engine;

namespace Yishi.Benchmarks.Http;

/// <summary>
/// Concurrent clients over loopback start instances and complete their tasks against the real server process.
/// Tokens are obtained before the clock starts. A completion is one answered <c>POST /api/tasks/{id}/complete</c>.
/// </summary>
internal static class HttpBenchmark
{
    private const string Definition = """
        { "definitionId": "bench-http", "name": "bench", "activities": [
            { "id": "start", "type": "Start" },
            { "id": "task", "type": "HumanTask", "properties": { "title": "办理", "assignee": { "role": "mediator" } } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "task" }, { "from": "task", "to": "end" } ] }
        """;

    private const int Rounds = 3;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(int instances, int clients, CancellationToken cancellationToken)
    {
        using (var scratch = ScratchFolder.Create())
        {
            // The in-process rate in the same run, for the ratio: the engine's own benchmark round, smaller.
            var engine = await YishiEngineBenchmark.RunRoundAsync(instances, 128, scratch.File("engine.db"), cancellationToken);
            Console.WriteLine($"  engine in process: {engine.StepsPerSecond:N0} steps/s ({instances:N0} instances)");
            await using var server = await ServerProcess.StartAsync(cancellationToken);
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
            using var http = new HttpClient(handler) { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(1) };
            var staff = await ServerCalls.LoginAsync(http, "staff", cancellationToken);
            var mediator = await ServerCalls.LoginAsync(http, "mediator", cancellationToken);
            await ServerCalls.SendAsync(http, HttpMethod.Post, "/api/definitions", staff, new StringContent(Definition, System.Text.Encoding.UTF8, "application/json"), cancellationToken);
            await ServerCalls.SendAsync(http, HttpMethod.Post, "/api/definitions/bench-http/publish", staff, null, cancellationToken);

            // Warm-up, then measured rounds: each client starts an instance and completes its task, again and again.
            // The warm-up lasts until tiered compilation has settled: profiles of shorter ones showed the JIT's
            // background thread still taking 15 % of the server's time during the measurement.
            var warmUp = Stopwatch.StartNew();
            while (warmUp.Elapsed < WarmUp)
            {
                await RoundAsync(http, mediator, Math.Min(2_000, instances), clients, cancellationToken);
            }

            var rounds = new List<(double Completions, double P95, int Errors)>();
            for (var round = 0; round < Rounds; round++)
            {
                var (seconds, latencies, roundErrors) = await RoundAsync(http, mediator, instances, clients, cancellationToken);
                Array.Sort(latencies);
                rounds.Add((instances / seconds, latencies.Length == 0 ? 0 : latencies[(int)Math.Ceiling(0.95 * latencies.Length) - 1], roundErrors));
                Console.WriteLine($"  http round {round + 1}: {rounds[^1].Completions:N0} completions/s, p95 complete {rounds[^1].P95:N1} ms, {roundErrors} errors");
            }

            // The median round by throughput, with its own p95: the figures of one real round, not a mix.
            var (completions, p95, _) = rounds.OrderBy(r => r.Completions).ElementAt(rounds.Count / 2);
            var errors = rounds.Sum(r => r.Errors);
            Console.WriteLine($"  http: {completions:N0} completions/s over {clients} clients (median of {Rounds} rounds of {instances:N0} instances), p95 complete {p95:N1} ms, {errors} errors");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"http: completions_per_s={completions:F0} p95_ms={p95:F0} errors={errors} vs_engine_in_process={(engine.StepsPerSecond > 0 ? completions / engine.StepsPerSecond : 0):F2}"));
            return errors == 0 ? 0 : 1;
        }
    }

    private static async Task<(double Seconds, double[] Latencies, int Errors)> RoundAsync(HttpClient http, string token, int instances, int clients, CancellationToken cancellationToken)
    {
        var latencies = new double[instances];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, instances), new ParallelOptions { MaxDegreeOfParallelism = clients, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                using var started = await ServerCalls.SendAsync(http, HttpMethod.Post, "/api/instances", token, JsonContent.Create(new { definitionId = "bench-http" }), ct);
                var task = started.RootElement.GetProperty("tasks")[0].GetProperty("id").GetString()!;
                var begin = Stopwatch.GetTimestamp();
                using var completed = await ServerCalls.SendAsync(http, HttpMethod.Post, $"/api/tasks/{task}/complete", token, JsonContent.Create(new { outcome = "done" }), ct);
                latencies[i] = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref errors);
            }
        });
        return (clock.Elapsed.TotalSeconds, latencies, errors);
    }

}
