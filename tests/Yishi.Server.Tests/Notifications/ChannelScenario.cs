using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Data;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Notifications;

public sealed class SqliteChannel : ChannelScenario<SqliteTestDatabase>;

public sealed class PostgreSqlChannel : ChannelScenario<PostgreSqlTestDatabase>;

/// <summary>Admins see how the channels are configured, without any secret, and what each delivered lately.</summary>
public abstract class ChannelScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task Channels_ShowTheirSettingsWithoutSecrets_AndRecentDeliveriesByStatus()
    {
        var server = NewServer(new Dictionary<string, string?>
        {
            ["Yishi:Email:Host"] = "smtp.example.org",
            ["Yishi:Email:Port"] = "2525",
            ["Yishi:Email:UserName"] = "mailer-account",
            ["Yishi:Email:Password"] = "smtp-password-123",
            ["Yishi:Email:From"] = "议事 <noreply@example.org>",
            ["Yishi:Sms:Url"] = "https://sms.example.org/send?account=acct-42",
            ["Yishi:Sms:Secret"] = "sms-secret-456",
            ["Yishi:Sms:SignName"] = "【幸福社区】",
            ["Yishi:Notifications:MaxAttempts"] = "3",
        });
        using var admin = await server.ClientForAsync("admin", Ct);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            // Deliveries that are settled already, so that the dispatcher leaves them as they are.
            var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
            var now = TimeProvider.System.GetUtcNow();
            db.Deliveries.AddRange(
                Delivery("d1", "email", DeliveryStatus.Dead, now),
                Delivery("d2", "email", DeliveryStatus.Sent, now),
                Delivery("d3", "email", DeliveryStatus.Sent, now),
                Delivery("d4", "email", DeliveryStatus.Sent, now.AddDays(-8)));
            await db.SaveChangesAsync(Ct);
        }

        using var response = await admin.GetAsync("/api/admin/channels", Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        foreach (var secret in new[] { "smtp-password-123", "mailer-account", "sms-secret-456", "acct-42" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        var body = await response.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal(3, body["maxAttempts"]!.GetValue<int>());
        var channels = body["channels"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        Assert.Equal(["inapp", "sms", "email"], channels.Keys);
        Assert.True(channels["email"]["enabled"]!.GetValue<bool>());
        Assert.Equal("smtp.example.org:2525", channels["email"]["server"]!.GetValue<string>());
        Assert.Equal("议事 <noreply@example.org>", channels["email"]["sender"]!.GetValue<string>());
        Assert.Equal("sms.example.org", channels["sms"]["server"]!.GetValue<string>());
        Assert.Equal("【幸福社区】", channels["sms"]["sender"]!.GetValue<string>());
        // The last 7 days only: the delivery of 8 days ago is not counted.
        Assert.Equal(1, channels["email"]["recent"]!["dead"]!.GetValue<int>());
        Assert.Equal(2, channels["email"]["recent"]!["sent"]!.GetValue<int>());
    }

    [Fact]
    public async Task WithoutAnSmtpHostOrGateway_EmailAndSmsAreOff()
    {
        var server = NewServer();
        using var admin = await server.ClientForAsync("admin", Ct);

        using var response = await admin.GetAsync("/api/admin/channels", Ct);

        var channels = (await response.ReadJsonAsync(HttpStatusCode.OK, Ct))["channels"]!.AsArray();
        Assert.Equal([("inapp", true), ("sms", false), ("email", false)],
            channels.Select(c => (c!["name"]!.GetValue<string>(), c["enabled"]!.GetValue<bool>())));
    }

    private static Delivery Delivery(string id, string channel, string status, DateTimeOffset createdAt) => new()
    {
        Id = id,
        IdempotencyKey = "channel-test-" + id,
        SourceId = "channel-test",
        Channel = channel,
        RecipientKey = "user:test",
        Address = "resident1@example.org",
        Locale = "zh-CN",
        TemplateKey = "task/assigned",
        Body = "正文",
        Status = status,
        CreatedAt = createdAt.ToUnixTimeMilliseconds(),
        NextAttemptAt = createdAt.ToUnixTimeMilliseconds(),
    };
}
