using Yishi.Testing;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Attachments;

/// <summary>
/// Kestrel holds every request to <c>Yishi:MaxRequestBytes</c> (2 MiB), which only a real process enforces: an
/// upload may be as large as <c>Yishi:Attachments:MaxBytes</c> plus its form, and no larger.
/// </summary>
public sealed class AttachmentProcessTests
{
    private const int MiB = 1024 * 1024;
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kestrel_TakesAnUploadLargerThanOtherRequests_AndRefusesOneOverTheFileLimit()
    {
        var folder = TempFolder.Create();
        try
        {
            var settings = ServerProcess.Settings("Sqlite", $"Data Source={Path.Combine(folder, "yishi.db")}", folder);
            settings["Yishi__Attachments__Folder"] = Path.Combine(folder, "attachments");
            settings["Yishi__Attachments__MaxBytes"] = (3 * MiB).ToString(CultureInfo.InvariantCulture);
            using var server = new ServerProcess(settings);
            using var client = new HttpClient { BaseAddress = await server.WaitUntilListeningAsync(StartLimit, Ct) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(client));
            var caseId = await StartCaseAsync(client);

            using var overGeneralLimit = await client.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Pdf(5 * MiB / 2), chunked: false), Ct);
            using var declaredTooLarge = await client.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Pdf(7 * MiB / 2), chunked: false), Ct);
            using var chunkedTooLarge = await client.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Pdf((3 * MiB) + 1), chunked: true), Ct);

            Assert.Equal(5 * MiB / 2, (await overGeneralLimit.ReadJsonAsync(HttpStatusCode.Created, Ct))["size"]!.GetValue<long>());
            await declaredTooLarge.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file-too-large", Ct);
            await chunkedTooLarge.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file-too-large", Ct);
            Assert.Single(Directory.EnumerateFiles(Path.Combine(folder, "attachments"), "*", SearchOption.AllDirectories));
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        using var login = await client.PostAsync(new Uri("/api/auth/login", UriKind.Relative), Http.Json("""{"userName":"staff","password":"Demo123!"}"""), Ct);
        return (await login.ReadJsonAsync(HttpStatusCode.OK, Ct))["accessToken"]!.GetValue<string>();
    }

    /// <summary>staff (street s1) publishes the sample mediation and starts a case in their unit.</summary>
    private static async Task<string> StartCaseAsync(HttpClient client)
    {
        using (var created = await client.PostAsync(new Uri("/api/definitions", UriKind.Relative), Http.Json(SampleWorkflows.Mediation("large")), Ct))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using (var published = await client.PostAsync(new Uri("/api/definitions/large/publish", UriKind.Relative), null, Ct))
        {
            await published.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        using var started = await client.PostAsync(new Uri("/api/instances", UriKind.Relative),
            Http.Json(new JsonObject { ["definitionId"] = "large", ["input"] = new JsonObject { ["caseTitle"] = "大文件" } }.ToJsonString()), Ct);
        return (await started.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
    }

    private static MultipartFormDataContent Form(byte[] content, bool chunked)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", "scan.pdf" } };
        if (chunked)
        {
            form.Headers.ContentLength = null;
        }

        return form;
    }
}
