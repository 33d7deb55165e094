using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Yishi.Server.Data;

/// <summary>
/// The server's own tables (identity, org units, households, definition ownership), in the same database as
/// the engine's. Its migrations keep their own history table so the two sets never mix. One subclass per
/// provider keeps each provider's migrations.
/// </summary>
public abstract partial class ServerDbContext(DbContextOptions options) : IdentityDbContext<YishiUser>(options), IDataProtectionKeyContext
{
    /// <summary>
    /// The keys that protect cookies and bearer tokens. Kept in the database so that every server process on it
    /// accepts the tokens the others issued, and a restart does not sign everyone out.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The history table of these migrations.</summary>
    public const string HistoryTable = "__yishi_server_migrations";

    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();

    public DbSet<Household> Households => Set<Household>();

    public DbSet<DefinitionOwnership> DefinitionOwnerships => Set<DefinitionOwnership>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();

    public DbSet<CaseParty> CaseParties => Set<CaseParty>();

    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();

    public DbSet<TemplateVersion> Templates => Set<TemplateVersion>();

    public DbSet<CalendarDay> CalendarDays => Set<CalendarDay>();

    public DbSet<DeadlineExtension> DeadlineExtensions => Set<DeadlineExtension>();

    public DbSet<Delivery> Deliveries => Set<Delivery>();

    public DbSet<CaseDocument> Documents => Set<CaseDocument>();

    public DbSet<OneTimeCode> OneTimeCodes => Set<OneTimeCode>();

    /// <summary>The top of the org-unit tree (the street), which owns what ships with Yishi; empty before any unit exists.</summary>
    public async Task<string> RootOrgUnitIdAsync(CancellationToken cancellationToken) =>
        await OrgUnits.Where(o => o.ParentId == null).Select(o => o.Id).FirstOrDefaultAsync(cancellationToken) ?? "";

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<YishiUser>(e =>
        {
            e.Property(u => u.DisplayName).HasMaxLength(100);
            e.Property(u => u.OrgUnitId).HasMaxLength(64);
            e.Property(u => u.HouseholdId).HasMaxLength(64);
            e.Property(u => u.PreferredLocale).HasMaxLength(16);
            e.Property(u => u.PreferredChannels).HasMaxLength(64);
            e.HasIndex(u => u.OrgUnitId);
        });
        builder.Entity<OrgUnit>(e =>
        {
            e.ToTable("yishi_org_units");
            e.HasKey(o => o.Id);
            e.Property(o => o.Id).HasMaxLength(64);
            e.Property(o => o.ParentId).HasMaxLength(64);
            e.Property(o => o.Kind).HasMaxLength(16);
            e.Property(o => o.Name).HasMaxLength(100);
            e.Property(o => o.NameEn).HasMaxLength(100);
            e.Property(o => o.Path).HasMaxLength(400);
            e.HasIndex(o => o.Path);
        });
        builder.Entity<Household>(e =>
        {
            e.ToTable("yishi_households");
            e.HasKey(h => h.Id);
            e.Property(h => h.Id).HasMaxLength(64);
            e.Property(h => h.OrgUnitId).HasMaxLength(64);
            e.Property(h => h.Address).HasMaxLength(200);
            e.Property(h => h.RepresentativeUserId).HasMaxLength(450);
        });
        builder.Entity<DataProtectionKey>(e => e.ToTable("yishi_data_protection_keys"));
        builder.Entity<ApiKey>(e =>
        {
            e.ToTable("yishi_api_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).HasMaxLength(32);
            e.Property(k => k.Name).HasMaxLength(100);
            e.Property(k => k.SecretHash).HasMaxLength(64);
            e.Property(k => k.OrgUnitId).HasMaxLength(64);
            e.Property(k => k.Permissions).HasMaxLength(400);
            e.Property(k => k.CreatedBy).HasMaxLength(450);
        });
        builder.Entity<IdempotentRequest>(e =>
        {
            e.ToTable("yishi_idempotent_requests");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(700);
            e.Property(r => r.Target).HasMaxLength(400);
            e.Property(r => r.Location).HasMaxLength(400);
        });
        builder.Entity<CaseParty>(e =>
        {
            e.ToTable("yishi_case_parties");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).HasMaxLength(32);
            e.Property(p => p.InstanceId).HasMaxLength(64);
            e.Property(p => p.UserId).HasMaxLength(450);
            e.Property(p => p.Name).HasMaxLength(100);
            e.Property(p => p.Phone).HasMaxLength(16);
            e.Property(p => p.IdNumber).HasMaxLength(18);
            e.Property(p => p.Role).HasMaxLength(32);
            e.Property(p => p.LinkedBy).HasMaxLength(450);
            // A person is a party to a case once: a user by account, anyone else by phone (a null never collides).
            e.HasIndex(p => new { p.InstanceId, p.UserId }).IsUnique();
            e.HasIndex(p => new { p.InstanceId, p.Phone }).IsUnique();
            e.HasIndex(p => p.UserId);
        });
        builder.Entity<DeadlineExtension>(e =>
        {
            e.ToTable("yishi_deadline_extensions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.TaskId).HasMaxLength(100);
            e.Property(x => x.InstanceId).HasMaxLength(64);
            e.Property(x => x.Scope).HasMaxLength(400);
            e.Property(x => x.RequestedBy).HasMaxLength(450);
            e.Property(x => x.By).HasMaxLength(200);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.DecidedBy).HasMaxLength(450);
            e.HasIndex(x => new { x.Status, x.Scope });
        });
        builder.Entity<Delivery>(e =>
        {
            e.ToTable("yishi_deliveries");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).HasMaxLength(32);
            e.Property(d => d.IdempotencyKey).HasMaxLength(200);
            e.Property(d => d.SourceId).HasMaxLength(120);
            e.Property(d => d.InstanceId).HasMaxLength(64);
            e.Property(d => d.ActivityId).HasMaxLength(100);
            e.Property(d => d.Channel).HasMaxLength(8);
            e.Property(d => d.RecipientKey).HasMaxLength(450);
            e.Property(d => d.UserId).HasMaxLength(450);
            e.Property(d => d.Address).HasMaxLength(320);
            e.Property(d => d.Locale).HasMaxLength(16);
            e.Property(d => d.TemplateKey).HasMaxLength(200);
            e.Property(d => d.Subject).HasMaxLength(400);
            e.Property(d => d.SmsCode).HasMaxLength(100);
            e.Property(d => d.Status).HasMaxLength(16);
            e.Property(d => d.LastError).HasMaxLength(500);
            e.Property(d => d.ProviderId).HasMaxLength(200);
            e.HasIndex(d => d.IdempotencyKey).IsUnique();
            e.HasIndex(d => d.SourceId);
            e.HasIndex(d => new { d.Status, d.NextAttemptAt });
        });

        builder.Entity<CaseDocument>(e =>
        {
            e.ToTable("yishi_documents");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).HasMaxLength(120);
            e.Property(d => d.InstanceId).HasMaxLength(64);
            e.Property(d => d.ActivityId).HasMaxLength(100);
            e.Property(d => d.TemplateKey).HasMaxLength(200);
            e.Property(d => d.Locale).HasMaxLength(16);
            e.Property(d => d.Title).HasMaxLength(400);
            e.Property(d => d.PdfError).HasMaxLength(500);
            e.Property(d => d.GeneratedBy).HasMaxLength(450);
            e.HasIndex(d => d.InstanceId);
        });

        builder.Entity<OneTimeCode>(e =>
        {
            e.ToTable("yishi_one_time_codes");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).HasMaxLength(32);
            e.Property(c => c.UserId).HasMaxLength(450);
            e.Property(c => c.Purpose).HasMaxLength(16);
            e.Property(c => c.CodeHash).HasMaxLength(64);
            e.HasIndex(c => new { c.UserId, c.Purpose });
        });

        builder.Entity<CalendarDay>(e =>
        {
            e.ToTable("yishi_calendar_days");
            e.HasKey(d => new { d.OrgUnitId, d.Date });
            e.Property(d => d.OrgUnitId).HasMaxLength(64);
            e.Property(d => d.Kind).HasMaxLength(8);
            e.Property(d => d.Name).HasMaxLength(200);
            e.Property(d => d.ChangedBy).HasMaxLength(450);
        });
        builder.Entity<TemplateVersion>(e =>
        {
            e.ToTable("yishi_templates");
            e.HasKey(t => new { t.Key, t.Locale, t.Version });
            e.Property(t => t.Key).HasMaxLength(200);
            e.Property(t => t.Locale).HasMaxLength(16);
            e.Property(t => t.ContentHash).HasMaxLength(64);
            e.Property(t => t.Source).HasMaxLength(16);
        });
        builder.Entity<InboxMessage>(e =>
        {
            e.ToTable("yishi_inbox");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).HasMaxLength(64);
            e.Property(m => m.UserId).HasMaxLength(450);
            e.Property(m => m.Kind).HasMaxLength(64);
            e.Property(m => m.Title).HasMaxLength(200);
            e.Property(m => m.Body).HasMaxLength(4000);
            e.Property(m => m.Link).HasMaxLength(400);
            e.Property(m => m.DedupKey).HasMaxLength(200);
            e.HasIndex(m => new { m.UserId, m.DedupKey }).IsUnique();
            // Created-at is stored as text on SQLite, so the inbox orders by id, which is time-ordered.
            e.HasIndex(m => new { m.UserId, m.Id });
        });
        builder.Entity<DefinitionOwnership>(e =>
        {
            e.ToTable("yishi_definition_ownership");
            e.HasKey(d => d.DefinitionId);
            e.Property(d => d.DefinitionId).HasMaxLength(100);
            e.Property(d => d.OrgUnitId).HasMaxLength(64);
            e.Property(d => d.ImportedHash).HasMaxLength(64);
        });
        ConfigureAudit(builder);
        ConfigureBallots(builder);
        ConfigureConsultations(builder);
        ConfigureTransfers(builder);
        ConfigureAttachments(builder);
        ConfigureProposals(builder);
        ConfigureCaseFiles(builder);
        ConfigureSessions(builder);
    }

    // Each feature maps its own tables in its own folder (Audit/, Ballots/, Consultations/).
    static partial void ConfigureAudit(ModelBuilder builder);

    static partial void ConfigureBallots(ModelBuilder builder);

    static partial void ConfigureConsultations(ModelBuilder builder);

    static partial void ConfigureTransfers(ModelBuilder builder);

    static partial void ConfigureAttachments(ModelBuilder builder);

    static partial void ConfigureProposals(ModelBuilder builder);

    static partial void ConfigureCaseFiles(ModelBuilder builder);

    static partial void ConfigureSessions(ModelBuilder builder);
}

/// <summary>SQLite migrations of the server tables.</summary>
public sealed class SqliteServerDbContext(DbContextOptions<SqliteServerDbContext> options) : ServerDbContext(options);

/// <summary>PostgreSQL migrations of the server tables.</summary>
public sealed class PostgreSqlServerDbContext(DbContextOptions<PostgreSqlServerDbContext> options) : ServerDbContext(options);

/// <summary>SQL Server migrations of the server tables.</summary>
public sealed class SqlServerServerDbContext(DbContextOptions<SqlServerServerDbContext> options) : ServerDbContext(options);
