using System.Net;
using System.Net.Http.Json;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.CaseFiles;

public sealed class SqliteCaseParty : CasePartyScenario<SqliteTestDatabase>;

public sealed class PostgreSqlCaseParty : CasePartyScenario<PostgreSqlTestDatabase>;

/// <summary>
/// A case's parties are residents with an account or people without one (name, phone, ID number): staff see every party
/// masked, a bad phone or ID number is refused with its field named, and each link is noted in the journal without
/// the person's details.
/// </summary>
public abstract class CasePartyScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const string ContactPhone = "13900001111";
    private const string ContactIdNumber = "440304198506151237";

    [Fact]
    public async Task PartiesWithAndWithoutAccounts_AreListedMasked()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("mixed"), "mixed", Ct);
        var applicant = await server.UserIdAsync("resident1", Ct);
        var caseId = await server.StartWithPartiesAsync("mixed",
        [
            new { userId = applicant, role = "applicant", idNumber = "11010519491231002x" },
            new { name = "张丽华", phone = "139-0000-1111", idNumber = ContactIdNumber, role = "respondent" },
        ], Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using var linked = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { name = "欧阳娜娜", phone = "139 0000 2222", role = "third-party" }, Ct);
        var file = await mediator.ReadFileAsync(caseId, Ct);
        using var instance = await mediator.GetAsync($"/api/instances/{caseId}", Ct);

        var third = await linked.ReadJsonAsync(HttpStatusCode.Created, Ct);
        Assert.Equal(("欧***", "139****2222", null), (third["displayName"]!.GetValue<string>(), third["phone"]!.GetValue<string>(), third["userId"]?.GetValue<string>()));
        var parties = file["parties"]!.AsArray();
        Assert.Equal(["applicant", "respondent", "third-party"], parties.Select(p => p!["role"]!.GetValue<string>()));
        var user = parties[0]!;
        Assert.Equal(applicant, user["userId"]!.GetValue<string>());
        Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}\*+$", user["displayName"]!.GetValue<string>());
        Assert.Equal(("138****0001", "1****************X"), (user["phone"]!.GetValue<string>(), user["idNumber"]!.GetValue<string>()));
        var contact = parties[1]!;
        Assert.Null(contact["userId"]);
        Assert.Equal(("张**", "139****1111", "4****************7"),
            (contact["displayName"]!.GetValue<string>(), contact["phone"]!.GetValue<string>(), contact["idNumber"]!.GetValue<string>()));
        Assert.Equal(3, (await instance.ReadJsonAsync(HttpStatusCode.OK, Ct))["parties"]!.AsArray().Count);
        // The full values are nowhere in what staff get.
        var text = file.ToJsonString();
        Assert.DoesNotContain(ContactPhone, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ContactIdNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain("张丽华", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadPhoneOrIdNumber_IsRefused_WithTheFieldNamed()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("checked"), "checked", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        var caseId = await server.StartWithPartiesAsync("checked", [], Ct);

        using var atStart = await mediator.PostAsJsonAsync("/api/instances",
            new { definitionId = "checked", input = new { caseTitle = "噪音" }, parties = new object[] { new { userId = await server.UserIdAsync("resident1", Ct), role = "applicant" }, new { name = "张三", phone = "12345", role = "respondent" } } }, Ct);
        using var badId = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { name = "张三", phone = ContactPhone, idNumber = "110105194912310021", role = "applicant" }, Ct);
        using var everything = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { name = " ", phone = "1390000111", idNumber = "12345", role = "Applicant" }, Ct);
        using var both = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { userId = await server.UserIdAsync("resident2", Ct), name = "张三", role = "applicant" }, Ct);
        using var nobody = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { role = "applicant" }, Ct);
        using var landline = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { name = "张三", phone = "0592-1234567", role = "applicant" }, Ct);

        var startProblem = await atStart.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        var only = Assert.Single(startProblem["problems"]!.AsArray())!;
        Assert.Equal(("phone", "/parties/1/phone", "invalid-phone"), (only["property"]!.GetValue<string>(), only["path"]!.GetValue<string>(), only["code"]!.GetValue<string>()));
        Assert.Contains("11 digits", startProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var idProblem = Assert.Single((await badId.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct))["problems"]!.AsArray())!;
        Assert.Equal(("idNumber", "/idNumber", "invalid-id-number"), (idProblem["property"]!.GetValue<string>(), idProblem["path"]!.GetValue<string>(), idProblem["code"]!.GetValue<string>()));
        Assert.Equal(["role", "name", "phone", "idNumber"], await everything.ProblemFieldsAsync(Ct));
        Assert.Equal(["name"], await both.ProblemFieldsAsync(Ct));
        Assert.Equal(["userId"], await nobody.ProblemFieldsAsync(Ct));
        Assert.Equal(["phone"], await landline.ProblemFieldsAsync(Ct));
        // Nothing was linked, and the refused start made no case.
        Assert.Empty((await mediator.ReadFileAsync(caseId, Ct))["parties"]!.AsArray());
        using var cases = await mediator.GetAsync("/api/instances?definitionId=checked", Ct);
        Assert.Single((await cases.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray());
    }

    [Fact]
    public async Task APersonWithoutAnAccount_IsLinkedOnce_ByPhone()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("once"), "once", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        var caseId = await server.StartWithPartiesAsync("once", [], Ct);

        using var first = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { name = "张丽华", phone = ContactPhone, role = "applicant" }, Ct);
        using var again = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { name = "张丽华", phone = "139 0000 1111", role = "respondent" }, Ct);
        using var twiceAtStart = await mediator.PostAsJsonAsync("/api/instances",
            new { definitionId = "once", input = new { caseTitle = "噪音" }, parties = new object[] { new { name = "张三", phone = ContactPhone, role = "applicant" }, new { name = "张三", phone = "139-0000-1111", role = "respondent" } } }, Ct);

        await first.ReadJsonAsync(HttpStatusCode.Created, Ct);
        await again.ReadProblemAsync(HttpStatusCode.Conflict, "already-linked", Ct);
        Assert.Equal(["phone"], await twiceAtStart.ProblemFieldsAsync(Ct));
        Assert.Single((await mediator.ReadFileAsync(caseId, Ct))["parties"]!.AsArray());
    }

    [Fact]
    public async Task LinkingAParty_IsNotedInTheJournal_WithoutTheirDetails()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("noted"), "noted", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        var caseId = await server.StartWithPartiesAsync("noted", [], Ct);
        var resident = await server.UserIdAsync("resident2", Ct);

        using var contact = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties",
            new { name = "张丽华", phone = ContactPhone, idNumber = ContactIdNumber, role = "applicant" }, Ct);
        using var user = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { userId = resident, role = "respondent" }, Ct);
        var contactId = (await contact.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
        var userPartyId = (await user.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
        var (text, notes) = await server.ReadNotesAsync(caseId, Ct);

        Assert.Equal(2, notes.Count);
        var first = notes[0]["data"]!;
        Assert.Equal(("party", contactId, "contact", "applicant"),
            (first["what"]!.GetValue<string>(), first["partyId"]!.GetValue<string>(), first["kind"]!.GetValue<string>(), first["role"]!.GetValue<string>()));
        Assert.Equal(["name", "phone", "idNumber"], first["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        var second = notes[1]["data"]!;
        Assert.Equal(("party", userPartyId, "user", resident), (second["what"]!.GetValue<string>(), second["partyId"]!.GetValue<string>(),
            second["kind"]!.GetValue<string>(), second["userId"]!.GetValue<string>()));
        Assert.Equal(await server.UserIdAsync("mediator", Ct), notes[1]["actorId"]!.GetValue<string>());
        Assert.DoesNotContain(ContactPhone, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ContactIdNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain("张丽华", text, StringComparison.Ordinal);
    }
}
