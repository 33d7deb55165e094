using Microsoft.EntityFrameworkCore;
using Yishi.Server.Proposals;

// The context's namespace, not the folder's: a partial class lives in one namespace, and each feature maps its own tables beside its code.
namespace Yishi.Server.Data;

public abstract partial class ServerDbContext
{
    public DbSet<Proposal> Proposals => Set<Proposal>();

    public DbSet<Cosignature> Cosignatures => Set<Cosignature>();

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Implements a partial method, which the context declares on the instance.")]
    static partial void ConfigureProposals(ModelBuilder builder)
    {
        builder.Entity<Proposal>(e =>
        {
            e.ToTable("yishi_proposals");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).HasMaxLength(120);
            e.Property(p => p.InstanceId).HasMaxLength(64);
            e.Property(p => p.ActivityId).HasMaxLength(100);
            e.Property(p => p.Scope).HasMaxLength(400);
            e.Property(p => p.Topic).HasMaxLength(400);
            e.Property(p => p.Status).HasMaxLength(16);
            // The lapsing sweep and the list of open ones.
            e.HasIndex(p => new { p.Status, p.ClosesAtMs });
            e.HasIndex(p => new { p.Status, p.Resumed });
        });
        builder.Entity<Cosignature>(e =>
        {
            e.ToTable("yishi_cosignatures");
            e.HasKey(c => new { c.ProposalId, c.ResidentId });
            e.Property(c => c.ProposalId).HasMaxLength(120);
            e.Property(c => c.ResidentId).HasMaxLength(450);
        });
    }
}
