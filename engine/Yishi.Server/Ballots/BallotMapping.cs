using Microsoft.EntityFrameworkCore;
using Yishi.Server.Ballots;

namespace Yishi.Server.Data;

public abstract partial class ServerDbContext
{
    public DbSet<BallotRecord> Ballots => Set<BallotRecord>();

    public DbSet<BallotVoterRecord> BallotVoters => Set<BallotVoterRecord>();

    public DbSet<BallotTurnoutRecord> BallotTurnout => Set<BallotTurnoutRecord>();

    public DbSet<BallotSlotRecord> BallotSlots => Set<BallotSlotRecord>();

    public DbSet<BallotVoteChange> BallotVoteChanges => Set<BallotVoteChange>();

    public DbSet<PaperBatchRecord> PaperBatches => Set<PaperBatchRecord>();

    static partial void ConfigureBallots(ModelBuilder builder)
    {
        builder.Entity<BallotRecord>(e =>
        {
            e.ToTable("yishi_ballots");
            e.HasKey(b => b.Id);
            e.Property(b => b.Id).HasMaxLength(100);
            e.Property(b => b.InstanceId).HasMaxLength(64);
            e.Property(b => b.ActivityId).HasMaxLength(100);
            e.Property(b => b.DefinitionId).HasMaxLength(100);
            e.Property(b => b.OrgUnitId).HasMaxLength(64);
            e.Property(b => b.OrgPath).HasMaxLength(400);
            e.Property(b => b.Mode).HasMaxLength(16);
            e.Property(b => b.Rule).HasMaxLength(32);
            e.Property(b => b.CustomQuorum).HasMaxLength(400);
            e.Property(b => b.CustomDecision).HasMaxLength(400);
            e.Property(b => b.Status).HasMaxLength(16);
            e.Property(b => b.Outcome).HasMaxLength(16);
            e.Property(b => b.AuditHead).HasMaxLength(100);
            e.Property(b => b.ResultVariable).HasMaxLength(100);
            e.Property(b => b.Version).IsConcurrencyToken();
            e.HasIndex(b => b.Status);
            e.HasIndex(b => new { b.InstanceId, b.ActivityId });
        });
        // The three tables below are created by hand-written SQL in the Ballots migration: on SQLite WITHOUT ROWID (so
        // there is no rowid that counts insertions) and on PostgreSQL with room on each page (so a vote's update stays
        // where the row was made, in random order, instead of moving to the end of the table in the order of voting).
        builder.Entity<BallotVoterRecord>(e =>
        {
            e.ToTable("yishi_ballot_voters");
            e.HasKey(v => new { v.BallotId, v.UserId });
            e.Property(v => v.BallotId).HasMaxLength(100);
            e.Property(v => v.UserId).HasMaxLength(450);
            e.Property(v => v.CountKey).HasMaxLength(450);
        });
        builder.Entity<BallotTurnoutRecord>(e =>
        {
            e.ToTable("yishi_ballot_turnout");
            e.HasKey(t => new { t.BallotId, t.CountKey });
            e.Property(t => t.BallotId).HasMaxLength(100);
            e.Property(t => t.CountKey).HasMaxLength(450);
            e.Property(t => t.Channel).HasMaxLength(8);
        });
        builder.Entity<BallotSlotRecord>(e =>
        {
            e.ToTable("yishi_ballot_slots");
            e.HasKey(s => new { s.BallotId, s.SlotId });
            e.Property(s => s.BallotId).HasMaxLength(100);
            e.Property(s => s.SlotId).HasMaxLength(32);
            e.Property(s => s.Choices).HasMaxLength(2000);
            e.Property(s => s.ReceiptHash).HasMaxLength(64);
            e.Property(s => s.Voter).HasMaxLength(450);
            e.HasIndex(s => s.ReceiptHash);
            e.HasIndex(s => new { s.BallotId, s.Voter });
        });
        builder.Entity<BallotVoteChange>(e =>
        {
            e.ToTable("yishi_ballot_vote_changes");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).HasMaxLength(32);
            e.Property(c => c.BallotId).HasMaxLength(100);
            e.Property(c => c.CountKey).HasMaxLength(450);
            e.Property(c => c.Choices).HasMaxLength(2000);
            e.HasIndex(c => new { c.BallotId, c.CountKey });
        });
        builder.Entity<PaperBatchRecord>(e =>
        {
            e.ToTable("yishi_ballot_paper_batches");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).HasMaxLength(32);
            e.Property(p => p.BallotId).HasMaxLength(100);
            e.Property(p => p.EnteredBy).HasMaxLength(450);
            e.Property(p => p.ConfirmedBy).HasMaxLength(450);
            e.Property(p => p.Status).HasMaxLength(16);
            e.HasIndex(p => p.BallotId);
        });
    }
}
