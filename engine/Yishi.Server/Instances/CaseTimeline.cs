using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Journal;
using Yishi.Engine.Privacy;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.OrgUnits;

namespace Yishi.Server.Instances;

/// <summary>
/// The case's story in plain words, from its journal: what happened, when, and (for staff) who did it, names masked.
/// Residents who are parties see what concerns them — the case registered, waiting on a step, a step done and how,
/// a transfer, records and attachments added, the end — and not the inner workings (claims, warnings, incidents).
/// </summary>
internal static class CaseTimeline
{
    /// <summary>One line of the story.</summary>
    public sealed record TimelineEntry(long Sequence, DateTimeOffset At, string Kind, string Text, string? Actor);

    public static IEndpointRouteBuilder MapTimelineEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/instances/{id}/timeline", TimelineAsync).WithTags("Cases").RequireAuthorization(Policies.ReadInstances).WithName("GetCaseTimeline")
            .WithSummary("The case's story in plain words (Accept-Language zh-CN or en), names masked; residents who are parties see what concerns them.")
            .Produces<IReadOnlyList<TimelineEntry>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> TimelineAsync(string id, ClaimsPrincipal user, HttpRequest request, WorkflowRuntime runtime, ServerDbContext db,
        OrgUnitDirectory directory, CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !await user.MaySeeAsync(instance, db, cancellationToken))
        {
            return InstanceEndpoints.NotFound(id);
        }

        var en = request.Headers.AcceptLanguage.ToString().StartsWith("en", StringComparison.OrdinalIgnoreCase);
        var locale = en ? "en" : "zh-CN";
        var resident = user.SeesByPartyOnly();
        var graph = await runtime.Definitions.GetGraphAsync(instance.DefinitionId, instance.DefinitionVersion, cancellationToken);
        var journal = await runtime.ReadJournalAsync(id, 0, 1000, cancellationToken);
        var actorIds = journal.Select(e => e.ActorId).OfType<string>().Distinct().ToList();
        var names = await db.Users.Where(u => actorIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var units = await db.OrgUnits.AsNoTracking().ToDictionaryAsync(u => u.Id, u => en ? u.NameEn : u.Name, cancellationToken);

        string Step(string? activityId)
        {
            var activity = graph?.Definition.Activities.FirstOrDefault(a => a.Id == activityId);
            return activity?.Property("title") is { } title ? Localized(title, locale)
                : activity?.DisplayName?.Get(locale) ?? activityId ?? "";
        }

        string Unit(string? path) => OrgUnitDirectory.IdOf(path) is { } unit && units.TryGetValue(unit, out var name) ? name : path ?? "";

        var entries = new List<TimelineEntry>();
        foreach (var entry in journal)
        {
            var text = Describe(entry, en, resident, Step, Unit);
            if (text is not null)
            {
                var actor = resident || entry.ActorId is null or "system" ? null : names.TryGetValue(entry.ActorId, out var name) ? Masking.Name(name) : entry.ActorId;
                entries.Add(new TimelineEntry(entry.Sequence, entry.At, entry.Kind.ToString(), text, actor));
            }
        }

        return TypedResults.Ok(entries);
    }

    private static string Localized(JsonElement text, string locale) => text.ValueKind switch
    {
        JsonValueKind.String => text.GetString() ?? "",
        JsonValueKind.Object when text.TryGetProperty(locale, out var value) => value.GetString() ?? "",
        JsonValueKind.Object => text.EnumerateObject().Select(p => p.Value.GetString()).FirstOrDefault() ?? "",
        _ => "",
    };

    /// <summary>One entry in words; null when the reader does not need it.</summary>
    private static string? Describe(JournalEntry entry, bool en, bool resident, Func<string?, string> step, Func<string?, string> unit) => entry.Kind switch
    {
        JournalKind.InstanceStarted => en ? "The case was registered." : "案件已登记。",
        JournalKind.BookmarkCreated when entry.ActivityType is "HumanTask" => en ? $"Waiting for: {step(entry.ActivityId)}." : $"等待办理：{step(entry.ActivityId)}。",
        JournalKind.BookmarkCreated when entry.ActivityType is "Ballot" => en ? "A vote was announced." : "已发布表决公告。",
        JournalKind.BookmarkCreated when entry.ActivityType is "Consultation" => en ? "A consultation opened." : "协商已开始征集意见。",
        JournalKind.BookmarkResumed when entry.ActivityType is "HumanTask" => en
            ? $"{step(entry.ActivityId)}: done{(entry.Outcome is { } o ? $" ({o})" : "")}."
            : $"{step(entry.ActivityId)}：已办理{(entry.Outcome is { } o2 ? $"（{o2}）" : "")}。",
        JournalKind.BookmarkResumed when entry.ActivityType is "Ballot" => en ? $"The vote closed: {entry.Outcome}." : $"表决结束：{entry.Outcome}。",
        JournalKind.TaskClaimed when !resident && entry.Data?["what"]?.GetValue<string>() == "assigned" => en
            ? $"{step(entry.ActivityId)} was given to another person: {entry.Message}."
            : $"{step(entry.ActivityId)}已改派他人办理：{entry.Message}。",
        JournalKind.TaskClaimed when !resident => en ? $"{step(entry.ActivityId)} was taken on." : $"{step(entry.ActivityId)}已被领取。",
        JournalKind.DeadlineReached when !resident => en ? $"{step(entry.ActivityId)} is past its deadline." : $"{step(entry.ActivityId)}已超过办理期限。",
        JournalKind.DeadlineExtended => en ? $"More time was given for {step(entry.ActivityId)}." : $"{step(entry.ActivityId)}的办理期限已延长。",
        JournalKind.DeadlineRecounted => en ? $"The holiday calendar changed; the deadline of {step(entry.ActivityId)} moved with it." : $"节假日安排调整，{step(entry.ActivityId)}的办理期限随之顺延或调整。",
        JournalKind.IncidentRaised when !resident => en ? $"A step failed and waits for staff: {step(entry.ActivityId)}." : $"环节出错，等待工作人员处理：{step(entry.ActivityId)}。",
        JournalKind.CaseNoted => Note(entry, en, resident, unit),
        JournalKind.InstanceMigrated when !resident => en
            ? $"The case moved to version {entry.Data?["toVersion"]} of its workflow."
            : $"案件已迁移到流程的第{entry.Data?["toVersion"]}版。",
        JournalKind.InstanceCompleted => en ? "The case was closed." : "案件已办结。",
        JournalKind.InstanceCancelled => en ? "The case was withdrawn." : "案件已撤销。",
        _ => null,
    };

    private static string? Note(JournalEntry entry, bool en, bool resident, Func<string?, string> unit) => entry.Data?["what"]?.GetValue<string>() switch
    {
        "transfer" => en
            ? $"Handed from {unit(entry.Data["from"]?.GetValue<string>())} to {unit(entry.Data["to"]?.GetValue<string>())}{(resident ? "" : $": {entry.Message}")}."
            : $"案件由{unit(entry.Data["from"]?.GetValue<string>())}转交{unit(entry.Data["to"]?.GetValue<string>())}{(resident ? "" : $"：{entry.Message}")}。",
        "attachment" => en ? "An attachment was added." : "添加了附件。",
        "record" => en ? "A record was added (e.g. the minutes of a session)." : "添加了一份记录（如调解笔录）。",
        "rating" => en ? "A party rated how the case was handled." : "当事人对办理情况作出了评价。",
        "party" when !resident => en ? "A party was linked to the case." : "添加了当事人。",
        "file" when !resident => en ? "The case's details were updated." : "更新了案件信息。",
        _ => null,
    };
}
