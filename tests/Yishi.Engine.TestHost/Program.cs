using System.Collections.Concurrent;
using System.Globalization;
using Yishi.Engine.Activities;
using Yishi.Engine.EntityFrameworkCore;
using Yishi.Engine.Execution;
using Yishi.Engine.Runtime;

// A separate process for the tests that need one: a crash under load (killed with SIGKILL), and a second
// engine host racing the first on a shared PostgreSQL database.
//   load <provider> <connection string> <ack file>        run steps until killed; log each acknowledged one
//   race <provider> <connection string> <bookmark> <count> <go file>   resume one bookmark <count> times at once
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: load|race <Sqlite|PostgreSql> <connection string> …");
    return 2;
}

var database = new YishiDatabase(new DatabaseOptions { Provider = Enum.Parse<DatabaseProvider>(args[1]), ConnectionString = args[2] });
await database.MigrateAsync();
var options = new WorkflowRuntimeOptions { CommitWriters = database.Provider == DatabaseProvider.Sqlite ? 1 : 4 };
await using var runtime = new WorkflowRuntime(new SqlWorkflowStore(database), TimeProvider.System, options);
var mediator = Actor.User("u-host", "mediator");

switch (args[0])
{
    case "load":
        {
            var published = await runtime.Definitions.PublishDocumentAsync(HostDefinitions.TwoTasks);
            if (!published.Succeeded && (await runtime.Definitions.GetLatestPublishedGraphAsync("two-tasks")) is null)
            {
                Console.Error.WriteLine(string.Join("; ", published.Problems));
                return 1;
            }

            using var ack = new StreamWriter(new FileStream(args[3], FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
            var acknowledged = 0;
            var gate = new Lock();
            void Acknowledge(string line)
            {
                lock (gate)
                {
                    // Written only after the runtime returned success: this is the promise the test checks after the kill.
                    ack.WriteLine(line);
                    if (++acknowledged == 200)
                    {
                        Console.WriteLine("ready");
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    var started = await runtime.StartAsync(new StartRequest("two-tasks"));
                    if (!started.Succeeded)
                    {
                        continue;
                    }

                    Acknowledge("S " + started.InstanceId);
                    var first = await runtime.ResumeAsync(new ResumeRequest(started.Bookmarks[0].Id, new ResumeInput(), mediator));
                    if (!first.Succeeded)
                    {
                        continue;
                    }

                    Acknowledge("R1 " + started.InstanceId);
                    var second = await runtime.ResumeAsync(new ResumeRequest(first.Bookmarks[0].Id, new ResumeInput(), mediator));
                    if (second.Succeeded)
                    {
                        Acknowledge("R2 " + started.InstanceId);
                    }
                }
            })));
            return 0;
        }

    case "race":
        {
            var bookmarkId = args[3];
            var count = int.Parse(args[4], CultureInfo.InvariantCulture);
            var go = args[5];
            // Warm up the definition cache and the connection pool so both hosts fire together.
            await runtime.QueryBookmarksAsync(new Yishi.Engine.Persistence.BookmarkQuery { Limit = 1 });
            Console.WriteLine("ready");
            while (!File.Exists(go))
            {
                await Task.Delay(5);
            }

            var results = new ConcurrentBag<StepStatus>();
            await Task.WhenAll(Enumerable.Range(0, count).Select(_ => Task.Run(async () =>
                results.Add((await runtime.ResumeAsync(new ResumeRequest(bookmarkId, new ResumeInput(), mediator))).Status))));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"succeeded={results.Count(s => s == StepStatus.Succeeded)} conflict={results.Count(s => s == StepStatus.Conflict)} other={results.Count(s => s is not (StepStatus.Succeeded or StepStatus.Conflict))}"));
            return 0;
        }

    default:
        Console.Error.WriteLine($"unknown command '{args[0]}'");
        return 2;
}

internal static class HostDefinitions
{
    public const string TwoTasks = """
        { "definitionId": "two-tasks", "name": "两步", "activities": [
            { "id": "start", "type": "Start" },
            { "id": "first", "type": "HumanTask", "properties": { "title": "一", "assignee": { "role": "mediator" } } },
            { "id": "second", "type": "HumanTask", "properties": { "title": "二", "assignee": { "role": "mediator" } } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "first" }, { "from": "first", "to": "second" }, { "from": "second", "to": "end" } ] }
        """;
}
