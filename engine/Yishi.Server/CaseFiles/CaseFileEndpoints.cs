using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Instances;
using Yishi.Server.Problems;

namespace Yishi.Server.CaseFiles;

/// <summary>
/// The case file (案卷): its details (category, source, risk), its parties and its records. Whoever may read the case
/// reads the file; staff who work the case change it, and each change is noted in the case's journal.
/// </summary>
internal static class CaseFileEndpoints
{
    public static IEndpointRouteBuilder MapCaseFileEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/instances").WithTags("Cases");
        cases.MapGet("/{id}/file", GetAsync).RequireAuthorization(Policies.ReadInstances).WithName("GetCaseFile")
            .WithSummary("The case file: category, source, risk, the parties (masked) and the records. Residents who are parties see themselves and the records, not the risk assessment.")
            .Produces<CaseFileView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPut("/{id}/file", ChangeAsync).RequireAuthorization(Policies.Staff).WithName("ChangeCaseFile")
            .WithSummary("Sets the case's details, all of them (a field left out is cleared). Suggested categories: 邻里纠纷, 婚姻家庭, 物业纠纷, 土地承包, 劳务纠纷, 其他; "
                + "sources: walk-in, hotline, grid, initiative, api; risk levels: low, medium, high. Raising escalationRisk is noted in the journal.")
            .Produces<CaseFileView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        CaseRecordEndpoints.Map(cases);
        CaseRatingEndpoints.Map(cases);
        return app;
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !await user.MaySeeAsync(instance, db, cancellationToken))
        {
            return InstanceEndpoints.NotFound(id);
        }

        return TypedResults.Ok(await ViewAsync(id, user, db, cancellationToken));
    }

    private static async Task<IResult> ChangeAsync(string id, ChangeCaseFile request, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db,
        TimeProvider clock, CaseJournal journal, CancellationToken cancellationToken)
    {
        // Only those who work the case now change it; a unit that handed it on reads it.
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !user.ToActor().Reaches(instance.Scope))
        {
            return InstanceEndpoints.NotFound(id);
        }

        var category = string.IsNullOrWhiteSpace(request.Category) ? null : request.Category.Trim();
        if (Check(request, category) is { } problem)
        {
            return problem;
        }

        var file = await db.CaseFiles.FirstOrDefaultAsync(f => f.InstanceId == id, cancellationToken);
        var before = file is null ? new CaseFile { InstanceId = id, UpdatedBy = "" } : Copy(file);
        file ??= db.CaseFiles.Add(new CaseFile { InstanceId = id, UpdatedBy = user.UserId() }).Entity;
        file.Category = category;
        file.Source = request.Source;
        file.RiskLevel = request.RiskLevel;
        file.EscalationRisk = request.EscalationRisk!.Value;
        var changed = ChangedFields(before, file);
        if (changed.Count > 0)
        {
            file.UpdatedAt = clock.GetUtcNow();
            file.UpdatedBy = user.UserId();
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Two staff writing a case's details for the first time at once: the key lets one in.
                return Problem.Of(409, "changed-meanwhile", "The case file changed meanwhile", "Load the case file and make the change again.");
            }

            await journal.NoteAsync(id, Message(before, file, changed), Note(before, file, changed), user, cancellationToken);
        }

        return TypedResults.Ok(await ViewAsync(id, user, db, cancellationToken));
    }

    /// <summary>The file as <paramref name="user"/> may see it.</summary>
    private static async Task<CaseFileView> ViewAsync(string id, ClaimsPrincipal user, ServerDbContext db, CancellationToken cancellationToken)
    {
        var file = await db.CaseFiles.AsNoTracking().FirstOrDefaultAsync(f => f.InstanceId == id, cancellationToken);
        var parties = await CasePartyEndpoints.ListAsync(id, db, cancellationToken);
        var records = await CaseRecordEndpoints.ListAsync(id, db, cancellationToken);
        if (user.SeesByPartyOnly())
        {
            // A party sees themselves, not the others' (even masked) details, nor how staff rate the risk of their dispute.
            var me = user.UserId();
            return new CaseFileView(id, file?.Category, file?.Source, null, null, file?.UpdatedAt, [.. parties.Where(p => p.UserId == me)], records);
        }

        return new CaseFileView(id, file?.Category, file?.Source, file?.RiskLevel, file?.EscalationRisk ?? false, file?.UpdatedAt, parties, records);
    }

    private static IResult? Check(ChangeCaseFile request, string? category)
    {
        var problems = new FieldProblems();
        if (category is not null && (category.Length > CaseVocabulary.MaxCategory || category.Any(char.IsControl)))
        {
            problems.Add("category", "invalid-category",
                $"'category' is free text of at most {CaseVocabulary.MaxCategory} characters, e.g. {string.Join("、", CaseVocabulary.SuggestedCategories)}.");
        }

        if (request.Source is not null && !CaseVocabulary.Sources.Contains(request.Source))
        {
            problems.Add("source", "invalid-source", $"'{request.Source}' is not a source; sources are {string.Join(", ", CaseVocabulary.Sources)}.");
        }

        if (request.RiskLevel is not null && !CaseVocabulary.RiskLevels.Contains(request.RiskLevel))
        {
            problems.Add("riskLevel", "invalid-risk-level", $"'{request.RiskLevel}' is not a risk level; levels are {string.Join(", ", CaseVocabulary.RiskLevels)}.");
        }

        if (request.EscalationRisk is null)
        {
            problems.Add("escalationRisk", "required", "'escalationRisk' is required (true or false): the details are set whole, and leaving it out must not lower it.");
        }

        return problems.Any ? problems.ToResult("The case file's details are not valid") : null;
    }

    private static CaseFile Copy(CaseFile f) => new()
    {
        InstanceId = f.InstanceId,
        Category = f.Category,
        Source = f.Source,
        RiskLevel = f.RiskLevel,
        EscalationRisk = f.EscalationRisk,
        UpdatedAt = f.UpdatedAt,
        UpdatedBy = f.UpdatedBy,
    };

    private static List<string> ChangedFields(CaseFile before, CaseFile after)
    {
        List<string> changed = [];
        if (!string.Equals(before.Category, after.Category, StringComparison.Ordinal))
        {
            changed.Add("category");
        }

        if (!string.Equals(before.Source, after.Source, StringComparison.Ordinal))
        {
            changed.Add("source");
        }

        if (!string.Equals(before.RiskLevel, after.RiskLevel, StringComparison.Ordinal))
        {
            changed.Add("riskLevel");
        }

        if (before.EscalationRisk != after.EscalationRisk)
        {
            changed.Add("escalationRisk");
        }

        return changed;
    }

    private static string Message(CaseFile before, CaseFile after, List<string> changed) => (before.EscalationRisk, after.EscalationRisk) switch
    {
        (false, true) => "Risk of escalation raised; changed: " + string.Join(", ", changed),
        (true, false) => "Risk of escalation lowered; changed: " + string.Join(", ", changed),
        _ => "Case file changed: " + string.Join(", ", changed),
    };

    /// <summary>The field names changed, and whether the escalation flag went up or down: the values stay in the file.</summary>
    private static JsonObject Note(CaseFile before, CaseFile after, List<string> changed)
    {
        var note = new JsonObject { ["what"] = "file", ["fields"] = new JsonArray([.. changed.Select(f => (JsonNode)f)]) };
        if (before.EscalationRisk != after.EscalationRisk)
        {
            note["escalation"] = after.EscalationRisk ? "raised" : "lowered";
        }

        return note;
    }
}
