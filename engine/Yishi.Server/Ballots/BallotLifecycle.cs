using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Server.Audit;
using Yishi.Server.Data;
using Yishi.Server.Hosting;
using Yishi.Server.OrgUnits;

namespace Yishi.Server.Ballots;

/// <summary>
/// Moves ballots through their life: notice (the engine's Ballot row becomes a ballot with a frozen roll), opening,
/// turnout milestones, closing (count, decide, record) and resuming the case with the outcome. Each step is safe to
/// repeat after a crash: a ballot that exists is not made again, a closed one is not counted again, a resumed case is
/// not resumed again. Every step leaves an audit entry; no entry holds a choice.
/// </summary>
internal sealed partial class BallotLifecycle(IWorkflowStore store, WorkflowRuntime runtime, IServiceScopeFactory scopes, VoteWriter writer, BallotDirectory ballots, BallotCounter counter,
    AuditLog audit, OrgUnitDirectory directory, IOptions<ServerOptions> options, TimeProvider clock, ILogger<BallotLifecycle> logger)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    // Ballots whose notice entry this process has seen in the audit chain (see RecordNoticeAsync).
    private readonly HashSet<string> _noticeRecorded = new(StringComparer.Ordinal);

    /// <summary>One pass; answers how much it did, so the loop knows whether to look again at once.</summary>
    public async Task<int> StepAsync(CancellationToken cancellationToken)
    {
        var done = 0;
        foreach (var row in await store.ReadOutboxAsync(10, OutboxKinds.Ballot, cancellationToken))
        {
            await GiveNoticeAsync(row, cancellationToken);
            await store.CommitAsync([new WorkflowCommit { CompletedOutboxIds = [row.Id] }], cancellationToken);
            done++;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        // Few ballots run at once; the times are compared here because SQLite cannot compare them in a query.
        var now = clock.GetUtcNow();
        foreach (var ballot in await db.Ballots.Where(b => b.Status != BallotStates.Closed || !b.Resumed || b.AuditHead == null).ToListAsync(cancellationToken))
        {
            done += await AdvanceAsync(db, ballot, now, cancellationToken) ? 1 : 0;
        }

        return done;
    }

    private async Task<bool> AdvanceAsync(ServerDbContext db, BallotRecord ballot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_noticeRecorded.Contains(ballot.Id))
        {
            // The roll's commit and the chain's entry are two transactions: after a crash between them, the entry is made now.
            if (!await db.Audit.AnyAsync(a => a.Subject == Subject(ballot) && a.Kind == NoticedKind, cancellationToken))
            {
                await RecordNoticeAsync(ballot, cancellationToken);
            }

            _noticeRecorded.Add(ballot.Id);
        }

        if (ballot.Status == BallotStates.Notice && now >= ballot.OpensAt)
        {
            ballot.Status = BallotStates.Open;
            ballot.Version++;
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync("ballot.opened", Subject(ballot), new JsonObject { ["electorate"] = ballot.Electorate, ["closesAt"] = ballot.ClosesAt }, cancellationToken);
            return true;
        }

        if (ballot.Status == BallotStates.Open)
        {
            var voted = await TurnoutAsync(db, ballot.Id, cancellationToken);
            await RecordMilestoneAsync(db, ballot, voted, cancellationToken);
            var everyone = ballot.EarlyClose && voted >= ballot.Electorate && await PaperCountedAsync(db, ballot.Id, cancellationToken);
            if (now >= ballot.ClosesAt || everyone)
            {
                await CloseAsync(db, ballot, now, early: everyone && now < ballot.ClosesAt, cancellationToken);
                return true;
            }

            return false;
        }

        if (ballot.Status == BallotStates.Closed && ballot.AuditHead is null)
        {
            await RecordCloseAsync(db, ballot, cancellationToken);
            return true;
        }

        if (ballot.Status == BallotStates.Closed && !ballot.Resumed)
        {
            await ResumeCaseAsync(db, ballot, cancellationToken);
            return true;
        }

        return false;
    }

    /// <summary>Whether every resident marked as voting on paper has a confirmed paper ballot: until then not every vote is in.</summary>
    private static async Task<bool> PaperCountedAsync(ServerDbContext db, string ballotId, CancellationToken cancellationToken) =>
        await db.BallotTurnout.CountAsync(t => t.BallotId == ballotId && t.Channel == "paper", cancellationToken)
        <= await db.PaperBatches.Where(b => b.BallotId == ballotId && b.Status == PaperBatch.Confirmed).SumAsync(b => b.Count, cancellationToken);

    /// <summary>How many of the electorate have voted, online or on paper.</summary>
    public static async Task<int> TurnoutAsync(ServerDbContext db, string ballotId, CancellationToken cancellationToken) =>
        await db.BallotTurnout.CountAsync(t => t.BallotId == ballotId && t.Channel != null, cancellationToken);

    private async Task RecordMilestoneAsync(ServerDbContext db, BallotRecord ballot, int voted, CancellationToken cancellationToken)
    {
        var tenth = ballot.Electorate == 0 ? 0 : (int)(10L * voted / ballot.Electorate);
        if (tenth <= ballot.TurnoutMilestone)
        {
            return;
        }

        ballot.TurnoutMilestone = tenth;
        ballot.Version++;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync("ballot.turnout", Subject(ballot), new JsonObject { ["voted"] = voted, ["electorate"] = ballot.Electorate, ["passedTenths"] = tenth }, cancellationToken);
    }

    private async Task GiveNoticeAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        if (await db.Ballots.AnyAsync(b => b.Id == row.Id, cancellationToken))
        {
            return;
        }

        var payload = row.Payload;
        var scopePath = payload["scope"]?.GetValue<string>() ?? "/";
        var orgUnit = payload["orgUnit"]?.GetValue<string>() ?? OrgUnitDirectory.IdOf(scopePath) ?? await db.RootOrgUnitIdAsync(cancellationToken);
        var orgPath = await directory.PathOfAsync(orgUnit, cancellationToken);
        var noticeAt = payload["noticeAt"]!.GetValue<DateTimeOffset>();
        var ballot = new BallotRecord
        {
            Id = row.Id,
            InstanceId = row.InstanceId,
            ActivityId = payload["activityId"]!.GetValue<string>(),
            DefinitionId = payload["definitionId"]?.GetValue<string>() ?? "",
            DefinitionVersion = payload["definitionVersion"]?.GetValue<int>() ?? 0,
            OrgUnitId = orgUnit,
            // A unit that no longer exists has nobody on its roll: the ballot still runs and ends without quorum, visibly.
            OrgPath = orgPath ?? "/" + orgUnit + "/",
            Title = payload["title"]?.ToJsonString() ?? "\"\"",
            Questions = payload["questions"]!.ToJsonString(),
            Mode = payload["mode"]?.GetValue<string>() ?? "person",
            Rule = payload["rule"]?.GetValue<string>() ?? "simple-majority",
            CustomQuorum = payload["customQuorum"]?.GetValue<string>(),
            CustomDecision = payload["customDecision"]?.GetValue<string>(),
            Secret = payload["secret"]?.GetValue<bool>() ?? true,
            ResultsHidden = payload["resultsHidden"]?.GetValue<bool>() ?? true,
            AllowChange = payload["allowChange"]?.GetValue<bool>() ?? false,
            EarlyClose = payload["earlyClose"]?.GetValue<bool>() ?? false,
            ResultVariable = payload["variable"]?.GetValue<string>(),
            NoticeAt = noticeAt,
            FrozenOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(noticeAt, _zone).DateTime),
            OpensAt = payload["opensAt"]!.GetValue<DateTimeOffset>(),
            ClosesAt = payload["closesAt"]!.GetValue<DateTimeOffset>(),
            Status = BallotStates.Notice,
        };
        var roll = await ElectorateFreezer.ReadAsync(db, directory, ballot, BallotCounter.Mode(ballot), cancellationToken);
        ballot.Electorate = roll.Counts.Count;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Ballots.Add(ballot);
            db.BallotVoters.AddRange(roll.Voters);
            db.BallotTurnout.AddRange(roll.Counts.Select(key => new BallotTurnoutRecord { BallotId = ballot.Id, CountKey = key }));
            db.BallotSlots.AddRange(ElectorateFreezer.Slots(ballot.Id, roll.Counts.Count));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        LogNotice(logger, ballot.Id, ballot.Electorate, ballot.Mode);
        await RecordNoticeAsync(ballot, cancellationToken);
        _noticeRecorded.Add(ballot.Id);
    }

    private const string NoticedKind = "ballot.noticed";

    private async Task RecordNoticeAsync(BallotRecord ballot, CancellationToken cancellationToken) =>
        await audit.AppendAsync(NoticedKind, Subject(ballot), new JsonObject
        {
            ["instanceId"] = ballot.InstanceId,
            ["orgUnit"] = ballot.OrgUnitId,
            ["mode"] = ballot.Mode,
            ["rule"] = ballot.Rule,
            ["secret"] = ballot.Secret,
            ["electorate"] = ballot.Electorate,
            ["frozenOn"] = ballot.FrozenOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["opensAt"] = ballot.OpensAt,
            ["closesAt"] = ballot.ClosesAt,
        }, cancellationToken);

    /// <summary>Closes a ballot now: no vote is written after this, the count is made and kept.</summary>
    public async Task CloseAsync(ServerDbContext db, BallotRecord ballot, DateTimeOffset now, bool early, CancellationToken cancellationToken)
    {
        // Through the writer, so every vote queued before the close is in the count and none after it is written.
        await writer.WriteAsync(new VoteCommand.Close(ballot.Id), cancellationToken);
        var result = await counter.CountAsync(db, ballot, now, cancellationToken);
        var json = result.ToJson();
        json["early"] = early;
        ballot.Status = BallotStates.Closed;
        ballot.Outcome = result.OutcomeName;
        ballot.Result = json.ToJsonString();
        ballot.ClosedAt = now;
        ballot.Version++;
        await db.SaveChangesAsync(cancellationToken);
        ballots.Forget(ballot.Id);
        LogClosed(logger, ballot.Id, result.OutcomeName, result.Attendees, result.Electorate);
        await RecordCloseAsync(db, ballot, cancellationToken);
        await ResumeCaseAsync(db, ballot, cancellationToken);
    }

    private async Task RecordCloseAsync(ServerDbContext db, BallotRecord ballot, CancellationToken cancellationToken)
    {
        // The count is public once the ballot closes, so the entry carries it: the chain then vouches for the result.
        var result = JsonNode.Parse(ballot.Result!)!.AsObject();
        var head = await audit.AppendAsync("ballot.closed", Subject(ballot), result, cancellationToken);
        ballot.AuditHead = head.ToString();
        ballot.Version++;
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task ResumeCaseAsync(ServerDbContext db, BallotRecord ballot, CancellationToken cancellationToken)
    {
        var result = JsonNode.Parse(ballot.Result!)!.AsObject();
        result["ballotId"] = ballot.Id;
        result["auditHead"] = ballot.AuditHead;
        var waiting = (await runtime.QueryBookmarksAsync(
            new BookmarkQuery { InstanceId = ballot.InstanceId, Kind = BookmarkKind.Ballot, CorrelationKey = ballot.Id, Limit = 1 }, cancellationToken)) is [var open, ..] ? open : null;
        if (waiting is not null)
        {
            var step = await runtime.ResumeAsync(new ResumeRequest(waiting.Id, new Yishi.Engine.Activities.ResumeInput(ballot.Outcome, result), Actor.System), cancellationToken);
            if (!step.Succeeded && step.Conflict is null)
            {
                LogResumeFailed(logger, ballot.Id, ballot.InstanceId, step.Status.ToString(), step.Message ?? "");
                return;
            }
        }

        ballot.Resumed = true;
        ballot.Version++;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The audit subject of a ballot.</summary>
    public static string Subject(BallotRecord ballot) => "ballot:" + ballot.Id;

    [LoggerMessage(Level = LogLevel.Information, Message = "Ballot {BallotId}: notice given, {Electorate} on the roll ({Mode})")]
    private static partial void LogNotice(ILogger logger, string ballotId, int electorate, string mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ballot {BallotId} closed: {Outcome}, {Attendees} of {Electorate} voted")]
    private static partial void LogClosed(ILogger logger, string ballotId, string outcome, int attendees, int electorate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ballot {BallotId} closed but case {InstanceId} could not be resumed ({Status}: {Message}); trying again")]
    private static partial void LogResumeFailed(ILogger logger, string ballotId, string instanceId, string status, string message);
}

/// <summary>Ballot states.</summary>
internal static class BallotStates
{
    public const string Notice = "notice";
    public const string Open = "open";
    public const string Closed = "closed";
}
