using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Data;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Templates;

public sealed class SqliteShippedTemplate : ShippedTemplateScenario<SqliteTestDatabase>;

public sealed class PostgreSqlShippedTemplate : ShippedTemplateScenario<PostgreSqlTestDatabase>;

/// <summary>The templates in the templates folder are imported at start-up by content hash, like the shipped workflows.</summary>
public abstract class ShippedTemplateScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const string Key = "mediation/accepted";

    [Fact]
    public async Task Start_ImportsEachKeyAndLocale_ChangedFileBecomesVersion2_UnchangedAddsNothing()
    {
        await WriteAsync(Key, "zh-CN", "您的调解申请已受理。");
        await WriteAsync(Key, "en", "Your mediation request was accepted.");
        var first = NewServer();
        var imported = await RowsAsync(first);
        await first.DisposeAsync();

        var unchanged = NewServer();
        var again = await RowsAsync(unchanged);
        await unchanged.DisposeAsync();

        await WriteAsync(Key, "zh-CN", "{{ recipient.name }}，您的调解申请已受理。");
        var changed = NewServer();
        var upgraded = await RowsAsync(changed);

        Assert.Equal([(Key, "en", 1), (Key, "zh-CN", 1)], imported.Select(Summary));
        Assert.Equal(imported.Select(Summary), again.Select(Summary));
        Assert.Equal([(Key, "en", 1), (Key, "zh-CN", 2)], upgraded.Select(Summary));
        Assert.All(upgraded, r => Assert.Equal("shipped", r!["source"]!.GetValue<string>()));
    }

    [Fact]
    public async Task BrokenOrMisnamedFile_IsSkipped_OthersAreImported()
    {
        await WriteAsync(Key, "zh-CN", "您好 {{ if }} 未闭合");
        await WriteAsync(Key, "en", "Accepted.");
        await WriteAsync("Bad Key", "en", "Accepted.");
        await WriteAsync(Key, "english", "Accepted.");

        var rows = await RowsAsync(NewServer());

        Assert.Equal([(Key, "en", 1)], rows.Select(Summary));
    }

    [Fact]
    public async Task TemplateRewrittenByStaff_IsLeftAlone_AndDesignersAreTold()
    {
        await WriteAsync(Key, "zh-CN", "已受理。");
        var first = NewServer();
        await RowsAsync(first);
        // Staff editing arrives with the template issue; until then their version is written as that editor will write it.
        await using (var scope = first.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
            db.Templates.Add(new TemplateVersion { Key = Key, Locale = "zh-CN", Version = 2, Text = "社区已受理。", ContentHash = "staff-edit", Source = "staff" });
            await db.SaveChangesAsync(Ct);
        }

        await first.DisposeAsync();
        await WriteAsync(Key, "zh-CN", "已受理（新版）。");
        var restarted = NewServer();
        var rows = await RowsAsync(restarted);

        var row = Assert.Single(rows);
        Assert.Equal((Key, "zh-CN", 2), Summary(row));
        Assert.Equal("staff", row!["source"]!.GetValue<string>());
        using var staff = await restarted.ClientForAsync("staff", Ct);
        using var inbox = await staff.GetAsync("/api/inbox", Ct);
        var notice = Assert.Single((await inbox.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray(), n => n!["kind"]!.GetValue<string>() == "shipped-template-kept");
        Assert.Contains("mediation/accepted/zh-CN.scriban", notice!["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task WriteAsync(string key, string locale, string text)
    {
        var folder = Path.Combine(TemplatesFolder, key);
        Directory.CreateDirectory(folder);
        // One part is enough for these import rules; the part format itself is tested with the renderer.
        await File.WriteAllTextAsync(Path.Combine(folder, locale + ".scriban"), "--- title ---\n" + text, Ct);
    }

    private static (string, string, int) Summary(JsonNode? row) =>
        (row!["key"]!.GetValue<string>(), row["locale"]!.GetValue<string>(), row["version"]!.GetValue<int>());

    private static async Task<JsonArray> RowsAsync(YishiFactory server)
    {
        using var staff = await server.ClientForAsync("staff", Ct);
        using var response = await staff.GetAsync("/api/templates", Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
    }
}
