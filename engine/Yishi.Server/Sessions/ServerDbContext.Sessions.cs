using Microsoft.EntityFrameworkCore;
using Yishi.Server.Sessions;

// The context's namespace, not the folder's: a partial class lives in one namespace, and each feature maps its own tables beside its code.
namespace Yishi.Server.Data;

public abstract partial class ServerDbContext
{
    public DbSet<CaseSession> CaseSessions => Set<CaseSession>();

    static partial void ConfigureSessions(ModelBuilder builder) =>
        builder.Entity<CaseSession>(e =>
        {
            e.ToTable("yishi_case_sessions");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).HasMaxLength(32);
            e.Property(s => s.InstanceId).HasMaxLength(64);
            e.Property(s => s.Scope).HasMaxLength(400);
            e.Property(s => s.Kind).HasMaxLength(16);
            e.Property(s => s.Place).HasMaxLength(SessionRules.MaxPlace);
            e.Property(s => s.Attendees).HasMaxLength(SessionRules.MaxAttendees);
            e.Property(s => s.Note).HasMaxLength(SessionRules.MaxNote);
            e.Property(s => s.Status).HasMaxLength(16);
            e.Property(s => s.CancelReason).HasMaxLength(SessionRules.MaxReason);
            e.Property(s => s.CreatedBy).HasMaxLength(450);
            e.Property(s => s.UpdatedBy).HasMaxLength(450);
            e.HasIndex(s => s.InstanceId);
            // "My units' upcoming sessions": scheduled ones under a path.
            e.HasIndex(s => new { s.Status, s.Scope });
        });
}
