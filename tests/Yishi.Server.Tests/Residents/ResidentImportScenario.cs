using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Yishi.Server.Residents;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Residents;

public sealed class SqliteResidentImport : ResidentImportScenario<SqliteTestDatabase>;

public sealed class PostgreSqlResidentImport : ResidentImportScenario<PostgreSqlTestDatabase>;

/// <summary>The residents registry comes from a spreadsheet: all of it, or none of it with every problem named.</summary>
public abstract class ResidentImportScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const string Good = """
        name,phone,org_unit,household,household_representative,birth_date,representative,verified
        张丽华,139 0000 2001,v1-g1,东坪一组12号,是,1978-04-02,否,是
        李建国,13900002002,v1-g1,东坪一组12号,否,2010-09-30,no,yes
        "王, 秀英",13900002003,v1-g2,"东坪二组
        3号",yes,1960-01-15,yes,no
        """;

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient admin, string csv)
    {
        using var content = new StringContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return await admin.PostAsync("/api/admin/residents/import", content, Ct);
    }

    private static async Task<JsonArray> ResidentsAsync(HttpClient admin, string orgUnitId) =>
        (await (await admin.GetAsync($"/api/admin/residents?orgUnitId={orgUnitId}", Ct)).ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();

    [Fact]
    public async Task AGoodFile_ImportsResidentsHouseholdsAndRepresentatives_ShownMasked()
    {
        var server = NewServer();
        using var admin = await server.ClientForAsync("admin", Ct);

        using var imported = await ImportAsync(admin, Good);

        var result = await imported.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal((3, 0, 2), (result["created"]!.GetValue<int>(), result["updated"]!.GetValue<int>(), result["householdsCreated"]!.GetValue<int>()));
        var village = await ResidentsAsync(admin, "v1");
        var zhang = Assert.Single(village, r => r!["phone"]!.GetValue<string>() == "139****2001")!;
        Assert.Equal(("张**", true, false, true, true), (zhang["name"]!.GetValue<string>(), zhang["householdRepresentative"]!.GetValue<bool>(),
            zhang["representative"]!.GetValue<bool>(), zhang["verified"]!.GetValue<bool>(), zhang["adult"]!.GetValue<bool>()));
        var li = Assert.Single(village, r => r!["phone"]!.GetValue<string>() == "139****2002")!;
        Assert.Equal(zhang["householdId"]!.GetValue<string>(), li["householdId"]!.GetValue<string>());
        Assert.False(li["adult"]!.GetValue<bool>());
        var wang = Assert.Single(village, r => r!["phone"]!.GetValue<string>() == "139****2003")!;
        Assert.Equal(("王****", true), (wang["name"]!.GetValue<string>(), wang["representative"]!.GetValue<bool>()));

        // Sending it again with a new name updates the resident the phone names; nobody is added.
        using var again = await ImportAsync(admin, Good.Replace("张丽华", "张丽", StringComparison.Ordinal));
        var second = await again.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal((0, 3, 0), (second["created"]!.GetValue<int>(), second["updated"]!.GetValue<int>(), second["householdsCreated"]!.GetValue<int>()));
        Assert.Equal(village.Count, (await ResidentsAsync(admin, "v1")).Count);
    }

    [Fact]
    public async Task ABadFile_NamesEveryProblemByLineAndColumn_AndImportsNothing()
    {
        var server = NewServer();
        using var admin = await server.ClientForAsync("admin", Ct);
        const string bad = """
            name,phone,org_unit,household,household_representative,birth_date,representative,verified
            张丽华,13900002001,v1-g1,东坪一组12号,是,1978-04-02,否,是
            李建国,1390000200,v1-g1,东坪一组12号,否,2010-09-30,no,yes
            王秀英,13900002003,v9,,,1960-01-15,maybe,no
            赵六,13900002001,v1-g1,东坪一组12号,是,2099-01-01,no,no
            """;
        var before = (await ResidentsAsync(admin, "v1")).Count;

        using var refused = await ImportAsync(admin, bad);

        var problem = await refused.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid-registry", Ct);
        var errors = problem["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<int>(), e["column"]!.GetValue<int>(), e["field"]!.GetValue<string>())).ToList();
        Assert.Equal([(3, 2, "phone"), (4, 3, "org_unit"), (4, 7, "representative"), (5, 2, "phone"), (5, 6, "birth_date"), (5, 5, "household_representative")], errors);
        // Line 2 was right, but nothing is imported while any line is wrong.
        Assert.Equal(before, (await ResidentsAsync(admin, "v1")).Count);
    }

    [Fact]
    public void Csv_QuotedValuesMayHoldCommasQuotesAndLineBreaks()
    {
        var (rows, error, _) = CsvTable.Read("\uFEFFa,b\r\n\"x, \"\"y\"\"\",\"line\nbreak\"\r\nlast,\n");

        Assert.Null(error);
        Assert.Equal([["a", "b"], ["x, \"y\"", "line\nbreak"], ["last", ""]], rows.Select(r => r.Select(c => c.Text).ToArray()));
        Assert.Equal((2, 2), (rows[1][1].Line, rows[1][1].Column));
        Assert.Equal((4, 1), (rows[2][0].Line, rows[2][0].Column));
        Assert.NotNull(CsvTable.Read("a,\"open").Error);
    }
}
