using Microsoft.EntityFrameworkCore;
using Yishi.Server.Audit;

// The context's namespace, not the folder's: a partial class lives in one namespace, and each feature maps its own tables beside its code.
namespace Yishi.Server.Data;

public abstract partial class ServerDbContext
{
    /// <summary>The audit chain (<see cref="AuditLog"/> appends to it; nothing updates or deletes).</summary>
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Implements a partial method, which the context declares on the instance.")]
    static partial void ConfigureAudit(ModelBuilder builder) => builder.Entity<AuditEntry>(e =>
    {
        e.ToTable("yishi_audit");
        e.HasKey(a => a.Sequence);
        // Assigned by the appender as previous + 1: an identity column would leave gaps after failed inserts and hide concurrent appends.
        e.Property(a => a.Sequence).ValueGeneratedNever();
        e.Property(a => a.Kind).HasMaxLength(AuditLog.MaxKindLength);
        e.Property(a => a.Subject).HasMaxLength(AuditLog.MaxSubjectLength);
        e.Property(a => a.PrevHash).HasMaxLength(64);
        e.Property(a => a.Hash).HasMaxLength(64);
        e.HasIndex(a => new { a.Subject, a.Sequence });
    });
}
