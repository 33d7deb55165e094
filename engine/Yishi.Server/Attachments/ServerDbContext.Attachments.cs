using Microsoft.EntityFrameworkCore;
using Yishi.Server.Attachments;

// The context's namespace, not the folder's: a partial class lives in one namespace, and each feature maps its own tables beside its code.
namespace Yishi.Server.Data;

public abstract partial class ServerDbContext
{
    public DbSet<CaseAttachment> CaseAttachments => Set<CaseAttachment>();

    static partial void ConfigureAttachments(ModelBuilder builder) =>
        builder.Entity<CaseAttachment>(e =>
        {
            e.ToTable("yishi_case_attachments");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).HasMaxLength(32);
            e.Property(a => a.InstanceId).HasMaxLength(64);
            e.Property(a => a.FileName).HasMaxLength(AttachmentForm.MaxFileNameLength);
            e.Property(a => a.ContentType).HasMaxLength(100);
            e.Property(a => a.Sha256).HasMaxLength(64);
            e.Property(a => a.Description).HasMaxLength(AttachmentForm.MaxDescriptionLength);
            e.Property(a => a.AddedBy).HasMaxLength(450);
            e.HasIndex(a => a.InstanceId);
            // Which rows share a stored file: what a clean-up of unreferenced files would ask.
            e.HasIndex(a => a.Sha256);
        });
}
