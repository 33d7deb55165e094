using Microsoft.EntityFrameworkCore;
using Yishi.Server.Consultations;

// The context's namespace, not the folder's: a partial class lives in one namespace, and each feature maps its own tables beside its code.
namespace Yishi.Server.Data;

public abstract partial class ServerDbContext
{
    public DbSet<Consultation> Consultations => Set<Consultation>();

    public DbSet<Opinion> Opinions => Set<Opinion>();

    public DbSet<OpinionReport> OpinionReports => Set<OpinionReport>();

    public DbSet<Evaluation> Evaluations => Set<Evaluation>();

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Implements a partial method, which the context declares on the instance.")]
    static partial void ConfigureConsultations(ModelBuilder builder)
    {
        builder.Entity<Consultation>(e =>
        {
            e.ToTable("yishi_consultations");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).HasMaxLength(120);
            e.Property(c => c.InstanceId).HasMaxLength(64);
            e.Property(c => c.ActivityId).HasMaxLength(100);
            e.Property(c => c.DefinitionId).HasMaxLength(100);
            e.Property(c => c.Scope).HasMaxLength(400);
            e.Property(c => c.Topic).HasMaxLength(400);
            e.Property(c => c.Kind).HasMaxLength(16);
            e.Property(c => c.Status).HasMaxLength(16);
            e.Property(c => c.ClosedBy).HasMaxLength(450);
            e.Property(c => c.SummaryBy).HasMaxLength(450);
            e.Property(c => c.BookmarkId).HasMaxLength(200);
            e.Property(c => c.Version).IsConcurrencyToken();
            // The closing sweep: open ones whose time has come, in one query.
            e.HasIndex(c => new { c.Status, c.ClosesAtMs });
            e.HasIndex(c => c.Scope);
        });
        builder.Entity<Opinion>(e =>
        {
            e.ToTable("yishi_consultation_opinions");
            e.HasKey(o => o.Id);
            e.Property(o => o.Id).HasMaxLength(32);
            e.Property(o => o.ConsultationId).HasMaxLength(120);
            e.Property(o => o.AuthorId).HasMaxLength(450);
            e.Property(o => o.Stance).HasMaxLength(8);
            e.Property(o => o.Text).HasMaxLength(ConsultationLimits.MaxOpinionLength);
            e.Property(o => o.Status).HasMaxLength(16);
            e.Property(o => o.ModerationReason).HasMaxLength(ConsultationLimits.MaxReasonLength);
            e.Property(o => o.ModeratedBy).HasMaxLength(450);
            e.Property(o => o.Version).IsConcurrencyToken();
            // One opinion per resident per consultation, also against two requests at once.
            e.HasIndex(o => new { o.ConsultationId, o.AuthorId }).IsUnique();
            e.HasIndex(o => new { o.ConsultationId, o.Status, o.Id });
            e.HasIndex(o => o.Status);
        });
        builder.Entity<OpinionReport>(e =>
        {
            e.ToTable("yishi_consultation_reports");
            e.HasKey(r => new { r.OpinionId, r.ReporterId });
            e.Property(r => r.OpinionId).HasMaxLength(32);
            e.Property(r => r.ReporterId).HasMaxLength(450);
            e.Property(r => r.Reason).HasMaxLength(ConsultationLimits.MaxReasonLength);
        });
        builder.Entity<Evaluation>(e =>
        {
            e.ToTable("yishi_consultation_evaluations");
            e.HasKey(v => new { v.ConsultationId, v.ResidentId });
            e.Property(v => v.ConsultationId).HasMaxLength(120);
            e.Property(v => v.ResidentId).HasMaxLength(450);
            e.Property(v => v.Scores).HasMaxLength(2000);
            e.Property(v => v.Comment).HasMaxLength(ConsultationLimits.MaxCommentLength);
        });
    }
}
