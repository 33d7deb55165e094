using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Engine.Privacy;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Hosting;

namespace Yishi.Benchmarks.Notify;

/// <summary>
/// Personalized notifications rendered and queued through the real path: the server runs in this process on a
/// SQLite file; instances run a Notify to a variable of contacts, which the engine writes to its outbox in the step's
/// commit; the server's planner renders the shipped <c>mediation/accepted</c> SMS (text and pre-approved parameters)
/// for each contact and saves one delivery row each. After a 20 s warm-up, each round is timed from the first start
/// to the last delivery saved; the figure is the median of the rounds. The floor is
/// <see cref="string.Format(IFormatProvider, string, object[])"/> of the same text with the same values.
/// Sending is not part of it: quiet hours cover the whole day, so the SMS wait in the outbox.
/// </summary>
internal static class NotifyBenchmark
{
    private const int PerInstance = 100;
    private const int WarmUpInstances = 100;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);

    private const string Definition = """
        { "definitionId": "bench-notify", "name": { "zh-CN": "通知", "en": "Notify" },
          "variables": [ { "name": "applicants", "type": "array" }, { "name": "accepted_at", "type": "string" },
            { "name": "mediator_name", "type": "string" }, { "name": "contact_days", "type": "number" },
            { "name": "dispute_type", "type": "string" }, { "name": "applied_at", "type": "string" } ],
          "activities": [ { "id": "start", "type": "Start" },
            { "id": "tell", "type": "Notify", "properties": { "template": "mediation/accepted", "to": [ { "variable": "applicants" } ], "channels": [ "sms" ] } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "tell" }, { "from": "tell", "to": "end" } ] }
        """;

    public static async Task<int> RunAsync(int notifications, int rounds, CancellationToken cancellationToken)
    {
        var instances = notifications / PerInstance;
        using var scratch = ScratchFolder.Create();
        var app = await StartServerAsync(scratch, cancellationToken);
        try
        {
            return await MeasureAsync(app, instances, rounds, cancellationToken);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private static async Task<int> MeasureAsync(WebApplication app, int instances, int rounds, CancellationToken cancellationToken)
    {
        var runtime = app.Services.GetRequiredService<WorkflowRuntime>();
        var published = await runtime.Definitions.PublishDocumentAsync(Definition, cancellationToken);
        if (!published.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", published.Problems));
        }

        // A server runs for days; a fresh one spends its first seconds in unoptimised code while .NET's tiered
        // compiler catches up (measured: the first 10,000 here run at half the steady rate). Warm up until the rate holds.
        var warmUp = Stopwatch.StartNew();
        var warmed = 0;
        while (warmUp.Elapsed < WarmUp)
        {
            warmed += await RoundAsync(app, runtime, [.. Enumerable.Range(10_000 + warmed / PerInstance, WarmUpInstances).Select(Input)], warmed, cancellationToken);
        }

        var rates = new List<double>();
        var floors = new List<double>();
        var done = warmed;
        for (var round = 1; round <= rounds; round++)
        {
            var inputs = Enumerable.Range(20_000 * round, instances).Select(Input).ToList();
            var (gen0, paused) = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
            var clock = Stopwatch.StartNew();
            var queued = await RoundAsync(app, runtime, inputs, done, cancellationToken);
            var elapsed = clock.Elapsed;
            done += queued;
            rates.Add(queued / elapsed.TotalSeconds);
            floors.Add(StringFormatPerSecond(inputs));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"notify: round={round} n={queued} s={elapsed.TotalSeconds:F2} per_s={rates[^1]:F0} string_format_per_s={floors[^1]:F0} gc_gen0={GC.CollectionCount(0) - gen0} gc_pause_ms={(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0}"));
        }

        var perSecond = Median.Of(rates);
        var floor = Median.Of(floors);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"notify: instances={instances} contacts_each={PerInstance} warm_up={warmed} rounds={rounds} (medians below)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"notify: n={instances * PerInstance} per_s={perSecond:F0} vs_string_format={perSecond / floor:F4}"));
        return 0;
    }

    /// <summary>Starts the instances and waits until the deliveries of all of them are saved; answers how many that is.</summary>
    private static async Task<int> RoundAsync(WebApplication app, WorkflowRuntime runtime, List<JsonObject> inputs, int before, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (input, ct) =>
        {
            var started = await runtime.StartAsync(new StartRequest("bench-notify", input), ct);
            if (!started.Succeeded)
            {
                throw new InvalidOperationException(started.Message);
            }
        });
        var expected = before + (inputs.Count * PerInstance);
        var queued = 0;
        while (queued < expected)
        {
            await Task.Delay(20, cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            queued = await scope.ServiceProvider.GetRequiredService<ServerDbContext>().Deliveries.CountAsync(cancellationToken);
        }

        return queued - before;
    }

    private static JsonObject Input(int instance) => new()
    {
        ["dispute_type"] = "邻里纠纷",
        ["applied_at"] = "2026-11-26T06:20:00Z",
        ["accepted_at"] = "2026-11-28T01:30:00Z",
        ["mediator_name"] = "王秀英",
        ["contact_days"] = 3,
        ["applicants"] = new JsonArray([.. Enumerable.Range(0, PerInstance).Select(i => (JsonNode)new JsonObject
        {
            ["name"] = "居民" + i.ToString(CultureInfo.InvariantCulture),
            ["phone"] = string.Create(CultureInfo.InvariantCulture, $"139{instance:D4}{i:D4}"),
            ["channels"] = new JsonArray("sms"),
        })]),
    };

    /// <summary>The same SMS and parameters, with the same masking and date, written with string.Format: the floor.</summary>
    private static double StringFormatPerSecond(List<JsonObject> inputs)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var sink = 0;
        var clock = Stopwatch.StartNew();
        foreach (var input in inputs)
        {
            var accepted = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(input["accepted_at"]!.GetValue<string>(), CultureInfo.InvariantCulture), zone);
            foreach (var contact in input["applicants"]!.AsArray())
            {
                var date = string.Format(CultureInfo.InvariantCulture, "{0}年{1}月{2}日", accepted.Year, accepted.Month, accepted.Day);
                var mediator = Masking.Name(input["mediator_name"]!.GetValue<string>());
                var text = string.Format(CultureInfo.InvariantCulture, "您的调解申请（{0}）已于{1}受理，调解员{2}将在{3}个工作日内与您联系，请保持电话畅通。",
                    contact!["phone"], date, mediator, input["contact_days"]);
                var parameters = string.Format(CultureInfo.InvariantCulture, "caseNo: {0}\nacceptedDate: {1}\nmediator: {2}\ndays: {3}", contact["phone"], date, mediator, input["contact_days"]);
                sink += text.Length + parameters.Length;
            }
        }

        GC.KeepAlive(sink);
        return inputs.Count * PerInstance / clock.Elapsed.TotalSeconds;
    }

    private static async Task<WebApplication> StartServerAsync(ScratchFolder scratch, CancellationToken cancellationToken)
    {
        var workflows = scratch.File("workflows");
        Directory.CreateDirectory(workflows);
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={scratch.File("notify.db")}",
            ["Yishi:DemoMode"] = "false",
            ["Yishi:AdminPassword"] = "Bench-2026-notify",
            ["Yishi:WorkflowsFolder"] = workflows,
            ["Yishi:TemplatesFolder"] = Path.Combine(RepositoryPaths.Root(AppContext.BaseDirectory), "templates"),
            ["Yishi:Notifications:QuietFrom"] = "00:00",
            ["Yishi:Notifications:QuietUntil"] = "23:59",
            ["Yishi:Notifications:PollInterval"] = "00:00:00.020",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddYishiServer();
        var app = builder.Build();
        app.UseYishiServer();
        await app.StartAsync(cancellationToken);
        return app;
    }
}
