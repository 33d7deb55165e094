using Microsoft.EntityFrameworkCore;
using Yishi.Server.Transfers;

namespace Yishi.Server.Data;

public abstract partial class ServerDbContext
{
    public DbSet<CaseTransfer> CaseTransfers => Set<CaseTransfer>();

    static partial void ConfigureTransfers(ModelBuilder builder) => builder.Entity<CaseTransfer>(e =>
    {
        e.ToTable("yishi_case_transfers");
        e.HasKey(t => t.Id);
        e.Property(t => t.Id).HasMaxLength(32);
        e.Property(t => t.InstanceId).HasMaxLength(64);
        e.Property(t => t.FromOrgUnitId).HasMaxLength(64);
        e.Property(t => t.FromPath).HasMaxLength(400);
        e.Property(t => t.ToOrgUnitId).HasMaxLength(64);
        e.Property(t => t.ToPath).HasMaxLength(400);
        e.Property(t => t.Reason).HasMaxLength(500);
        e.Property(t => t.By).HasMaxLength(450);
        e.HasIndex(t => t.InstanceId);
    });
}
