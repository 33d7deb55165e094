using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;

namespace Yishi.Server.Proposals;

/// <summary>
/// The life of proposals, each step safe to repeat after a crash or in a second server process: publish those the
/// engine asked for, let those whose time is up lapse, and move each decided one's case on by its outcome.
/// </summary>
internal sealed partial class ProposalKeeper(IWorkflowStore store, WorkflowRuntime runtime, IServiceScopeFactory scopes, TimeProvider clock, ILogger<ProposalKeeper> logger)
{
    private const int Batch = 20;

    /// <summary>One round of all three; answers how much it did.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken) =>
        await PublishAsync(cancellationToken) + await LapseDueAsync(cancellationToken) + await ResumeDecidedAsync(cancellationToken);

    private async Task<int> PublishAsync(CancellationToken cancellationToken)
    {
        var rows = await store.ReadOutboxAsync(Batch, OutboxKinds.Cosign, cancellationToken);
        foreach (var row in rows)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
            if (!await db.Proposals.AnyAsync(p => p.Id == row.Id, cancellationToken))
            {
                db.Proposals.Add(From(row));
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException)
                {
                    // Another server process published it first; anything else is a real failure.
                    db.ChangeTracker.Clear();
                    if (!await db.Proposals.AsNoTracking().AnyAsync(p => p.Id == row.Id, cancellationToken))
                    {
                        throw;
                    }
                }
            }

            await store.CommitAsync([new WorkflowCommit { CompletedOutboxIds = [row.Id] }], cancellationToken);
        }

        return rows.Count;
    }

    private async Task<int> LapseDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        // Conditional on still being open: a signature that reached the threshold a moment earlier wins.
        return await db.Proposals.Where(p => p.Status == ProposalStatus.Open && p.ClosesAtMs <= nowMs)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, ProposalStatus.Lapsed).SetProperty(p => p.DecidedAt, now), cancellationToken);
    }

    private async Task<int> ResumeDecidedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var decided = await db.Proposals.AsNoTracking().Where(p => p.Status != ProposalStatus.Open && !p.Resumed).OrderBy(p => p.Id).Take(Batch).ToListAsync(cancellationToken);
        var moved = 0;
        foreach (var proposal in decided)
        {
            if (await ResumeAsync(proposal, cancellationToken))
            {
                await db.Proposals.Where(p => p.Id == proposal.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.Resumed, true), cancellationToken);
                moved++;
            }
        }

        return moved;
    }

    /// <summary>Resumes the case by the proposal's outcome; answers whether that is done with (also when the case no longer waits for it).</summary>
    private async Task<bool> ResumeAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        var data = new JsonObject
        {
            ["proposalId"] = proposal.Id,
            ["signatures"] = proposal.Signatures,
            ["threshold"] = proposal.Threshold,
            ["decidedAt"] = proposal.DecidedAt,
        };
        var (step, settled) = await Hosting.HostWaits.ResumeAsync(runtime, BookmarkKind.Cosign, proposal.InstanceId, proposal.Id, null,
            new ResumeInput(proposal.Status, data), cancellationToken);
        if (!settled)
        {
            LogNotResumed(logger, proposal.Id, proposal.InstanceId, step!.Status);
        }

        return settled;
    }

    private static Proposal From(OutboxMessage row)
    {
        var payload = row.Payload;
        string? Text(string name) => payload[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        var closesAt = payload["closesAt"]!.GetValue<DateTimeOffset>();
        return new Proposal
        {
            Id = row.Id,
            InstanceId = row.InstanceId,
            ActivityId = Text("activityId") ?? "",
            Scope = Text("scope"),
            Topic = Text("topic") ?? "",
            Description = Text("description"),
            Threshold = payload["threshold"]?.GetValue<int>() ?? 1,
            OpensAt = payload["opensAt"]?.GetValue<DateTimeOffset>() ?? row.CreatedAt,
            ClosesAt = closesAt,
            ClosesAtMs = closesAt.ToUnixTimeMilliseconds(),
            Status = ProposalStatus.Open,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Proposal {ProposalId}: its case {InstanceId} could not be resumed yet ({Status}); trying again later")]
    private static partial void LogNotResumed(ILogger logger, string proposalId, string instanceId, StepStatus status);
}
