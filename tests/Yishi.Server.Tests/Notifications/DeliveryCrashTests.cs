using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;
using Yishi.Testing;

namespace Yishi.Server.Tests.Notifications;

/// <summary>The server process is killed after the SMS gateway accepted a message and before the server recorded it.</summary>
public sealed class DeliveryCrashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KilledBetweenSendingAndMarkingSent_TheSmsReachesThePhoneOnce()
    {
        var folder = TempFolder.Create();
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "workflows"));
            NotifyWorkflows.CopyShippedTemplates(Path.Combine(folder, "templates"));
            await using var sms = await FakeSmsGateway.StartAsync("yishi-test", "s3cret", cancellationToken: Ct);
            var settings = ServerProcess.Settings("Sqlite", $"Data Source={Path.Combine(folder, "yishi.db")}", folder);
            settings["Yishi__TemplatesFolder"] = Path.Combine(folder, "templates");
            settings["Yishi__Sms__Url"] = sms.Url.ToString();
            settings["Yishi__Sms__KeyId"] = "yishi-test";
            settings["Yishi__Sms__Secret"] = "s3cret";
            settings["Yishi__Notifications__QuietFrom"] = "00:00";
            settings["Yishi__Notifications__QuietUntil"] = "00:00";
            // A crashed server's claim on a message runs out after this; the next server then sends it again.
            settings["Yishi__Notifications__Lease"] = "00:00:02";

            var first = new ServerProcess(settings);
            var crashed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            sms.OnDelivered = (_, _) =>
            {
                // The gateway has the message; the server dies before it hears back.
                first.Kill();
                crashed.TrySetResult();
                return Task.CompletedTask;
            };
            try
            {
                var url = await first.WaitUntilListeningAsync(TimeSpan.FromMinutes(2), Ct);
                using var client = new HttpClient { BaseAddress = url };
                await PublishAndStartAsync(client);
                await crashed.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
            }
            finally
            {
                first.Dispose();
            }

            sms.OnDelivered = null;
            using var second = new ServerProcess(settings);
            using var again = new HttpClient { BaseAddress = await second.WaitUntilListeningAsync(TimeSpan.FromMinutes(2), Ct) };
            again.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(again, "admin"));
            await Eventually.UntilAsync(async () => (await (await again.GetAsync("/api/admin/deliveries?status=sent", Ct)).ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray(),
                rows => rows.Count == 1, TimeSpan.FromSeconds(60), Ct);

            var delivered = Assert.Single(sms.Delivered);
            Assert.Equal("13900001111", delivered.To);
            // The second server sent it again under the same key, and the gateway recognised the repeat.
            Assert.Equal([200, 409], sms.Requests.Select(r => r.Status));
            Assert.All(sms.Requests, r => Assert.Equal(delivered.Id, r.Headers["Idempotency-Key"]));
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    private static async Task PublishAndStartAsync(HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(client, "staff"));
        using (var created = await client.PostAsync("/api/definitions", Http.Json(NotifyWorkflows.Accepted("crash", """, "channels": ["sms"]""")), Ct))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using (var published = await client.PostAsync("/api/definitions/crash/publish", null, Ct))
        {
            await published.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(client, "mediator"));
        JsonArray applicants = [new JsonObject { ["name"] = "张丽华", ["phone"] = "13900001111", ["channels"] = new JsonArray("sms") }];
        using var started = await client.PostAsJsonAsync("/api/instances", new { definitionId = "crash", input = new JsonObject { ["applicants"] = applicants } }, Ct);
        await started.ReadJsonAsync(HttpStatusCode.Created, Ct);
    }

    private static async Task<string> TokenAsync(HttpClient client, string userName)
    {
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = YishiFactory.DemoPassword }, Ct);
        return (await login.ReadJsonAsync(HttpStatusCode.OK, Ct))["accessToken"]!.GetValue<string>();
    }
}
