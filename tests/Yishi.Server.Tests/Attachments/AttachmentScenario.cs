using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Attachments;

public sealed class SqliteAttachments : AttachmentScenario<SqliteTestDatabase>;

public sealed class PostgreSqlAttachments : AttachmentScenario<PostgreSqlTestDatabase>;

/// <summary>
/// A case's files: stored once by content in a folder of the test's own, served back byte for byte under their
/// names, refused when too large or not what their names say, and invisible to whoever may not see the case.
/// </summary>
public abstract class AttachmentScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const string Workflow = "files";
    private const int SmallLimit = 64 * 1024;

    private readonly string _store = TempFolder.Create();

    [Fact]
    public async Task Upload_ThenDownload_GivesTheSameBytes_UnderTheOriginalName()
    {
        var server = Server();
        var caseId = await StartCaseAsync(server);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        var photo = SampleFiles.Png(5000);

        using var uploaded = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(photo, "现场照片 1.png", "楼道漏水照片"), Ct);
        var view = await uploaded.ReadJsonAsync(HttpStatusCode.Created, Ct);
        var id = view["id"]!.GetValue<string>();
        using var download = await mediator.GetAsync($"/api/attachments/{id}", Ct);
        var bytes = await download.Content.ReadAsByteArrayAsync(Ct);
        using var listed = await mediator.GetAsync($"/api/instances/{caseId}/attachments", Ct);
        var list = (await listed.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();

        Assert.Equal($"/api/attachments/{id}", uploaded.Headers.Location?.OriginalString);
        Assert.Equal("现场照片 1.png", view["fileName"]!.GetValue<string>());
        Assert.Equal("image/png", view["contentType"]!.GetValue<string>());
        Assert.Equal(photo.Length, view["size"]!.GetValue<long>());
        Assert.Equal(SampleFiles.Sha256(photo), view["sha256"]!.GetValue<string>());
        Assert.Equal("楼道漏水照片", view["description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(photo, bytes);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("现场照片 1.png", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(["nosniff"], download.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal([id], list.Select(a => a!["id"]!.GetValue<string>()));
        var hash = SampleFiles.Sha256(photo);
        Assert.True(File.Exists(Path.Combine(_store, hash[..2], hash[2..4], hash)), "The file is not stored under its hash.");
    }

    [Fact]
    public async Task OfficeDocumentsTextAndRecordings_AreAccepted_AsTheTypeTheServerRecognised()
    {
        var server = Server();
        var caseId = await StartCaseAsync(server);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        var types = new List<string>();
        foreach (var (content, name) in new[] { (SampleFiles.Docx(), "调解协议.docx"), (SampleFiles.Pdf(3000), "申请书.PDF"), ("情况说明：楼上漏水三次。"u8.ToArray(), "说明.txt"), (SampleFiles.Amr(), "陈述.amr") })
        {
            // The client's Content-Type is a guess the server ignores.
            using var uploaded = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(content, name, contentType: "application/x-anything"), Ct);
            types.Add((await uploaded.ReadJsonAsync(HttpStatusCode.Created, Ct))["contentType"]!.GetValue<string>());
        }

        Assert.Equal(["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/pdf", "text/plain", "audio/amr"], types);
    }

    [Fact]
    public async Task SameContentTwice_IsStoredOnce_AndListedTwice()
    {
        var server = Server();
        var first = await StartCaseAsync(server);
        var (second, _) = await server.StartAsync(Workflow, Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        var agreement = SampleFiles.Pdf(10_000);

        using var one = await mediator.PostAsync($"/api/instances/{first}/attachments", Form(agreement, "协议.pdf"), Ct);
        using var again = await mediator.PostAsync($"/api/instances/{first}/attachments", Form(agreement, "协议-副本.pdf"), Ct);
        using var elsewhere = await mediator.PostAsync($"/api/instances/{second}/attachments", Form(agreement, "agreement.pdf"), Ct);

        var ids = new[] { one, again, elsewhere }.Select(r => r.ReadJsonAsync(HttpStatusCode.Created, Ct)).ToList();
        var views = await Task.WhenAll(ids);
        Assert.Equal(3, views.Select(v => v["id"]!.GetValue<string>()).Distinct().Count());
        Assert.All(views, v => Assert.Equal(SampleFiles.Sha256(agreement), v["sha256"]!.GetValue<string>()));
        Assert.Single(StoredFiles());
        Assert.Equal(2, (await ListAsync(mediator, first)).Count);
    }

    [Fact]
    public async Task OversizeFile_Answers413_AndLeavesNothingOnDisk()
    {
        var server = Server(new Dictionary<string, string?> { ["Yishi:Attachments:MaxBytes"] = SmallLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var caseId = await StartCaseAsync(server);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using var buffered = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Pdf(SmallLimit + 1), "scan.pdf"), Ct);
        // Sent in chunks, without a Content-Length to go by: only the bytes that arrive count.
        using var chunked = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Pdf(3 * SmallLimit), "scan.pdf", chunked: true), Ct);
        var filesAfterRefusals = StoredFiles();
        var listAfterRefusals = await ListAsync(mediator, caseId);
        using var atTheLimit = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Pdf(SmallLimit), "scan.pdf"), Ct);

        var problem = await buffered.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file-too-large", Ct);
        Assert.Contains("65536", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await chunked.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file-too-large", Ct);
        Assert.Empty(filesAfterRefusals);
        Assert.Empty(listAfterRefusals);
        await atTheLimit.ReadJsonAsync(HttpStatusCode.Created, Ct);
    }

    [Fact]
    public async Task RenamedExecutable_DisallowedType_AndFakeOfficeFile_Answer415_NamingTheAllowedTypes()
    {
        var server = Server();
        var caseId = await StartCaseAsync(server);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using var renamed = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Executable(), "调解协议.pdf"), Ct);
        using var exe = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Executable(), "setup.exe"), Ct);
        using var noExtension = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Pdf(100), "agreement"), Ct);
        using var jar = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Zip(("META-INF/MANIFEST.MF", "Main-Class: X")), "协议.docx"), Ct);
        using var executableText = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Executable(), "readme.txt"), Ct);

        var mismatch = await renamed.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType, "file-content-mismatch", Ct);
        var notAllowed = await exe.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType, "file-type-not-allowed", Ct);
        await noExtension.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType, "file-type-not-allowed", Ct);
        await jar.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType, "file-content-mismatch", Ct);
        await executableText.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType, "file-content-mismatch", Ct);
        Assert.All(new[] { mismatch, notAllowed }, p => Assert.Contains("pdf, jpg, jpeg, png", p["detail"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Empty(StoredFiles());
        Assert.Empty(await ListAsync(mediator, caseId));
    }

    [Fact]
    public async Task MalformedUploads_Answer400Or415_WithNothingStored()
    {
        var server = Server();
        var caseId = await StartCaseAsync(server);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var twoFiles = Form(SampleFiles.Pdf(100), "a.pdf");
        twoFiles.Add(new ByteArrayContent(SampleFiles.Pdf(200)), "file", "b.pdf");
        using var descriptionOnly = new MultipartFormDataContent { { new StringContent("照片"), "description" } };

        using var json = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/attachments", new { file = "x" }, Ct);
        using var two = await mediator.PostAsync($"/api/instances/{caseId}/attachments", twoFiles, Ct);
        using var noFile = await mediator.PostAsync($"/api/instances/{caseId}/attachments", descriptionOnly, Ct);
        using var longDescription = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Pdf(100), "a.pdf", new string('长', 501)), Ct);

        await json.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType, "multipart-required", Ct);
        await two.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        await noFile.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        await longDescription.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        Assert.Empty(StoredFiles());
        Assert.Empty(await ListAsync(mediator, caseId));
    }

    [Fact]
    public async Task OtherCasesFiles_OtherCommunities_AndUnrelatedResidents_SeeNothing()
    {
        var server = Server();
        var caseId = await StartCaseAsync(server);
        var (otherCase, _) = await server.StartAsync(Workflow, Ct);
        var applicant = await server.UserIdAsync("resident1", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using (var link = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { userId = applicant, role = "applicant" }, Ct))
        {
            await link.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        var mine = await UploadAsync(mediator, caseId, SampleFiles.Pdf(1000), "调解笔录.pdf");
        var other = await UploadAsync(mediator, otherCase, SampleFiles.Pdf(2000), "另一案.pdf");
        using var party = await server.ClientForAsync("resident1", Ct);
        using var stranger = await server.ClientForAsync("resident2", Ct);
        using var otherCommunity = await server.ClientForAsync("mediator2", Ct);

        using var partyDownloads = await party.GetAsync($"/api/attachments/{mine}", Ct);
        var partyList = await ListAsync(party, caseId);
        using var partyUploads = await party.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Png(300), "我的照片.png"), Ct);
        var refused = new List<HttpResponseMessage>
        {
            await party.GetAsync($"/api/attachments/{other}", Ct),
            await party.GetAsync($"/api/instances/{otherCase}/attachments", Ct),
            await party.PostAsync($"/api/instances/{otherCase}/attachments", Form(SampleFiles.Png(300), "x.png"), Ct),
            await stranger.GetAsync($"/api/attachments/{mine}", Ct),
            await stranger.GetAsync($"/api/instances/{caseId}/attachments", Ct),
            await stranger.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Png(300), "x.png"), Ct),
            await otherCommunity.GetAsync($"/api/attachments/{mine}", Ct),
            await otherCommunity.GetAsync($"/api/instances/{caseId}/attachments", Ct),
            await otherCommunity.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Png(300), "x.png"), Ct),
            await mediator.GetAsync("/api/attachments/no-such-attachment", Ct),
            await mediator.GetAsync("/api/instances/no-such-case/attachments", Ct),
        };

        Assert.Equal(SampleFiles.Pdf(1000), await partyDownloads.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, partyDownloads.StatusCode);
        Assert.Equal([mine], partyList);
        var added = await partyUploads.ReadJsonAsync(HttpStatusCode.Created, Ct);
        Assert.Equal(applicant, added["addedBy"]!.GetValue<string>());
        foreach (var response in refused)
        {
            var body = await response.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
            // No data: neither the other case's file names nor its ids beyond what the caller sent.
            Assert.DoesNotContain("另一案", body.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain("调解笔录", body.ToJsonString(), StringComparison.Ordinal);
            response.Dispose();
        }

        // The refused uploads added nothing: the case holds the mediator's file and the party's, the other case its own.
        Assert.Equal(2, (await ListAsync(mediator, caseId)).Count);
        Assert.Single(await ListAsync(mediator, otherCase));
    }

    [Fact]
    public async Task Upload_IsInTheCasesJournal_AndNeitherJournalNorLogsHoldTheFileName()
    {
        var server = Server(new Dictionary<string, string?> { ["Logging:LogLevel:Yishi.Server.Attachments"] = "Information" });
        var caseId = await StartCaseAsync(server);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        var recording = SampleFiles.Amr();

        var id = await UploadAsync(mediator, caseId, recording, "张三陈述录音.amr", "张三的陈述");
        using var refused = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Executable(), "张三身份证.pdf"), Ct);
        using var journal = await mediator.GetAsync($"/api/instances/{caseId}/journal", Ct);
        var entries = (await journal.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();

        var noted = Assert.Single(entries, e => e!["kind"]!.GetValue<string>() == "CaseNoted");
        Assert.Equal("attachment added", noted!["message"]!.GetValue<string>());
        Assert.Equal("attachment", noted["data"]!["what"]!.GetValue<string>());
        Assert.Equal(id, noted["data"]!["attachmentId"]!.GetValue<string>());
        Assert.Equal(recording.Length, noted["data"]!["size"]!.GetValue<long>());
        Assert.Equal("audio/amr", noted["data"]!["type"]!.GetValue<string>());
        Assert.Equal(await server.UserIdAsync("mediator", Ct), noted["actorId"]!.GetValue<string>());
        Assert.DoesNotContain("张三", entries.ToJsonString(), StringComparison.Ordinal);
        await refused.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType, "file-content-mismatch", Ct);
        var logs = server.Logs.Lines;
        Assert.Contains(logs, l => l.Contains(id, StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("file-content-mismatch", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("张三", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConfiguredTypes_ReplaceTheDefaults_AndATypeTheServerCannotCheckStopsTheStart()
    {
        var uncheckable = Server(new Dictionary<string, string?> { ["Yishi:Attachments:AllowedTypes:0"] = "pdf", ["Yishi:Attachments:AllowedTypes:1"] = "exe" });
        var narrow = Server(new Dictionary<string, string?> { ["Yishi:Attachments:AllowedTypes:0"] = "pdf", ["Yishi:Attachments:AllowedTypes:1"] = ".TXT" });

        var refusedStart = await Assert.ThrowsAnyAsync<Exception>(() => uncheckable.ClientForAsync("mediator", Ct));
        var caseId = await StartCaseAsync(narrow);
        using var mediator = await narrow.ClientForAsync("mediator", Ct);
        using var photo = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form(SampleFiles.Png(300), "照片.png"), Ct);
        using var text = await mediator.PostAsync($"/api/instances/{caseId}/attachments", Form("说明"u8.ToArray(), "说明.txt"), Ct);

        Assert.Contains("Yishi:Attachments:AllowedTypes", refusedStart.ToString(), StringComparison.Ordinal);
        var problem = await photo.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType, "file-type-not-allowed", Ct);
        Assert.Equal("Accepted: pdf, txt.", problem["detail"]!.GetValue<string>());
        await text.ReadJsonAsync(HttpStatusCode.Created, Ct);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        TempFolder.Delete(_store);
        GC.SuppressFinalize(this);
    }

    private YishiFactory Server(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Yishi:Attachments:Folder"] = _store;
        return NewServer(settings);
    }

    /// <summary>mediator (community c1) starts a mediation case; answers its id.</summary>
    private static async Task<string> StartCaseAsync(YishiFactory server)
    {
        await server.PublishAsync(SampleWorkflows.Mediation(Workflow), Workflow, Ct);
        return (await server.StartAsync(Workflow, Ct)).InstanceId;
    }

    /// <summary>Every file in the store but the staging folder, which a refusal must leave empty anyway.</summary>
    private List<string> StoredFiles() => [.. Directory.EnumerateFiles(_store, "*", SearchOption.AllDirectories)];

    private static async Task<string> UploadAsync(HttpClient client, string caseId, byte[] content, string fileName, string? description = null)
    {
        using var response = await client.PostAsync($"/api/instances/{caseId}/attachments", Form(content, fileName, description), Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
    }

    private static async Task<List<string>> ListAsync(HttpClient client, string caseId)
    {
        using var response = await client.GetAsync($"/api/instances/{caseId}/attachments", Ct);
        return [.. (await response.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().Select(a => a!["id"]!.GetValue<string>())];
    }

    /// <summary>The form a browser sends: the file in <c>file</c>, the description beside it.</summary>
    private static MultipartFormDataContent Form(byte[] content, string fileName, string? description = null, string contentType = "application/octet-stream",
        bool chunked = false)
    {
        HttpContent file = chunked ? new StreamContent(new MemoryStream(content)) : new ByteArrayContent(content);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var form = new MultipartFormDataContent { { file, "file", fileName } };
        if (description is not null)
        {
            form.Add(new StringContent(description, Encoding.UTF8), "description");
        }

        if (chunked)
        {
            form.Headers.ContentLength = null;
        }

        return form;
    }
}
