using Microsoft.EntityFrameworkCore;
using Yishi.Server.CaseFiles;

namespace Yishi.Server.Data;

public abstract partial class ServerDbContext
{
    public DbSet<CaseFile> CaseFiles => Set<CaseFile>();

    public DbSet<CaseRecord> CaseRecords => Set<CaseRecord>();

    static partial void ConfigureCaseFiles(ModelBuilder builder)
    {
        builder.Entity<CaseFile>(e =>
        {
            e.ToTable("yishi_case_files");
            e.HasKey(f => f.InstanceId);
            e.Property(f => f.InstanceId).HasMaxLength(64);
            e.Property(f => f.Category).HasMaxLength(CaseVocabulary.MaxCategory);
            e.Property(f => f.Source).HasMaxLength(16);
            e.Property(f => f.RiskLevel).HasMaxLength(8);
            e.Property(f => f.UpdatedBy).HasMaxLength(450);
        });
        builder.Entity<CaseRecord>(e =>
        {
            e.ToTable("yishi_case_records");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(32);
            e.Property(r => r.InstanceId).HasMaxLength(64);
            e.Property(r => r.Kind).HasMaxLength(8);
            e.Property(r => r.Title).HasMaxLength(CaseRecordLimits.MaxTitle);
            e.Property(r => r.Text).HasMaxLength(CaseRecordLimits.MaxText);
            e.Property(r => r.Place).HasMaxLength(CaseRecordLimits.MaxPlace);
            e.Property(r => r.Attendees).HasMaxLength(CaseRecordLimits.MaxAttendees);
            e.Property(r => r.AuthorId).HasMaxLength(450);
            // Created-at is text on SQLite, so a case's records order by id, which is time-ordered.
            e.HasIndex(r => new { r.InstanceId, r.Id });
        });
    }
}
