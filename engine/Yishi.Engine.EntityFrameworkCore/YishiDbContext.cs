using Microsoft.EntityFrameworkCore;
using Yishi.Engine.EntityFrameworkCore.Records;

namespace Yishi.Engine.EntityFrameworkCore;

/// <summary>
/// The engine's tables. Each provider has a subclass so that each keeps its own migrations
/// (<c>Migrations/Sqlite</c>, <c>Migrations/PostgreSql</c>, <c>Migrations/SqlServer</c>). Names are
/// snake_case on every provider so the hand-written hot-path SQL is the same text everywhere.
/// </summary>
public abstract class YishiDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<DefinitionRecord> Definitions => Set<DefinitionRecord>();

    public DbSet<InstanceRecord> Instances => Set<InstanceRecord>();

    public DbSet<BookmarkRecord> Bookmarks => Set<BookmarkRecord>();

    public DbSet<JournalRecord> Journal => Set<JournalRecord>();

    public DbSet<OutboxRecord> Outbox => Set<OutboxRecord>();

    public DbSet<MessageRecord> Messages => Set<MessageRecord>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DefinitionRecord>(e =>
        {
            e.ToTable("yishi_definitions");
            e.HasKey(d => new { d.DefinitionId, d.Version });
            e.Property(d => d.DefinitionId).HasColumnName("definition_id").HasMaxLength(100);
            e.Property(d => d.Version).HasColumnName("version");
            e.Property(d => d.Status).HasColumnName("status").HasMaxLength(16);
            e.Property(d => d.Json).HasColumnName("json");
            e.Property(d => d.ContentHash).HasColumnName("content_hash").HasMaxLength(64);
            e.Property(d => d.CreatedAt).HasColumnName("created_at");
            e.Property(d => d.UpdatedAt).HasColumnName("updated_at");
            e.Property(d => d.PublishedAt).HasColumnName("published_at");
            e.Property(d => d.PublishNote).HasColumnName("publish_note").HasMaxLength(Engine.Definitions.Publication.MaxNoteLength);
            e.Property(d => d.PublishedBy).HasColumnName("published_by").HasMaxLength(64);
        });

        modelBuilder.Entity<InstanceRecord>(e =>
        {
            e.ToTable("yishi_instances");
            e.HasKey(i => i.Id);
            e.Property(i => i.Id).HasColumnName("id").HasMaxLength(64);
            e.Property(i => i.DefinitionId).HasColumnName("definition_id").HasMaxLength(100);
            e.Property(i => i.DefinitionVersion).HasColumnName("definition_version");
            e.Property(i => i.Status).HasColumnName("status").HasMaxLength(16);
            e.Property(i => i.CorrelationKey).HasColumnName("correlation_key").HasMaxLength(200);
            e.Property(i => i.Scope).HasColumnName("scope").HasMaxLength(400);
            e.Property(i => i.ParentInstanceId).HasColumnName("parent_instance_id").HasMaxLength(64);
            e.Property(i => i.ParentBookmarkId).HasColumnName("parent_bookmark_id").HasMaxLength(100);
            e.Property(i => i.CreatedAt).HasColumnName("created_at");
            e.Property(i => i.UpdatedAt).HasColumnName("updated_at");
            e.Property(i => i.FinishedAt).HasColumnName("finished_at");
            e.Property(i => i.Version).HasColumnName("version");
            e.Property(i => i.State).HasColumnName("state");
            e.HasIndex(i => new { i.DefinitionId, i.Status }).HasDatabaseName("ix_instances_definition_status");
            e.HasIndex(i => i.CorrelationKey).HasDatabaseName("ix_instances_correlation_key");
            e.HasIndex(i => new { i.Status, i.CreatedAt }).HasDatabaseName("ix_instances_status_created");
            e.HasIndex(i => new { i.Scope, i.CreatedAt }).HasDatabaseName("ix_instances_scope_created");
            // The dashboard's handling time reads the cases completed in a period: without it, every case ever completed.
            e.HasIndex(i => new { i.Status, i.FinishedAt }).HasDatabaseName("ix_instances_status_finished");
        });

        modelBuilder.Entity<BookmarkRecord>(e =>
        {
            e.ToTable("yishi_bookmarks");
            e.HasKey(b => b.Id);
            e.Property(b => b.Id).HasColumnName("id").HasMaxLength(100);
            e.Property(b => b.InstanceId).HasColumnName("instance_id").HasMaxLength(64);
            e.Property(b => b.DefinitionId).HasColumnName("definition_id").HasMaxLength(100);
            // No index of its own: inbox queries narrow by role or user first, and every index costs a write per step.
            e.Property(b => b.Scope).HasColumnName("scope").HasMaxLength(400);
            e.Property(b => b.ActivityId).HasColumnName("activity_id").HasMaxLength(100);
            e.Property(b => b.ActivityType).HasColumnName("activity_type").HasMaxLength(100);
            e.Property(b => b.TokenId).HasColumnName("token_id").HasMaxLength(100);
            e.Property(b => b.Kind).HasColumnName("kind").HasMaxLength(16);
            e.Property(b => b.CreatedAt).HasColumnName("created_at");
            e.Property(b => b.DueAt).HasColumnName("due_at");
            e.Property(b => b.Role).HasColumnName("role").HasMaxLength(64);
            e.Property(b => b.UserId).HasColumnName("user_id").HasMaxLength(64);
            e.Property(b => b.MessageName).HasColumnName("message_name").HasMaxLength(200);
            e.Property(b => b.CorrelationKey).HasColumnName("correlation_key").HasMaxLength(200);
            e.Property(b => b.ChildInstanceId).HasColumnName("child_instance_id").HasMaxLength(100);
            e.Property(b => b.Payload).HasColumnName("payload");
            e.Property(b => b.ConsumedAt).HasColumnName("consumed_at");
            e.Property(b => b.AlarmAt).HasColumnName("alarm_at");
            // Inbox, timer and message queries only ever look at open bookmarks that have the field they search
            // by: partial indexes keep each small however much history accumulates, and a bookmark costs an
            // entry only in the indexes that can find it (every entry is a page write on each step).
            e.HasIndex(b => b.InstanceId).HasDatabaseName("ix_bookmarks_instance");
            e.HasIndex(b => new { b.Role, b.DueAt }).HasDatabaseName("ix_bookmarks_open_role").HasFilter("consumed_at IS NULL AND role IS NOT NULL");
            e.HasIndex(b => new { b.UserId, b.DueAt }).HasDatabaseName("ix_bookmarks_open_user").HasFilter("consumed_at IS NULL AND user_id IS NOT NULL");
            e.HasIndex(b => b.DueAt).HasDatabaseName("ix_bookmarks_open_due").HasFilter("consumed_at IS NULL AND due_at IS NOT NULL");
            e.HasIndex(b => b.AlarmAt).HasDatabaseName("ix_bookmarks_open_alarm").HasFilter("consumed_at IS NULL AND alarm_at IS NOT NULL");
            e.HasIndex(b => new { b.MessageName, b.CorrelationKey }).HasDatabaseName("ix_bookmarks_open_message").HasFilter("consumed_at IS NULL AND message_name IS NOT NULL");
        });

        modelBuilder.Entity<JournalRecord>(e =>
        {
            e.ToTable("yishi_journal");
            e.HasKey(j => new { j.InstanceId, j.Sequence });
            e.Property(j => j.InstanceId).HasColumnName("instance_id").HasMaxLength(64);
            e.Property(j => j.Sequence).HasColumnName("sequence");
            e.Property(j => j.At).HasColumnName("at");
            e.Property(j => j.Kind).HasColumnName("kind").HasMaxLength(32);
            e.Property(j => j.ActivityId).HasColumnName("activity_id").HasMaxLength(100);
            e.Property(j => j.ActivityType).HasColumnName("activity_type").HasMaxLength(100);
            e.Property(j => j.Outcome).HasColumnName("outcome").HasMaxLength(400);
            e.Property(j => j.BookmarkId).HasColumnName("bookmark_id").HasMaxLength(100);
            e.Property(j => j.ActorId).HasColumnName("actor_id").HasMaxLength(64);
            e.Property(j => j.Message).HasColumnName("message");
            e.Property(j => j.Data).HasColumnName("data");
        });

        modelBuilder.Entity<OutboxRecord>(e =>
        {
            e.ToTable("yishi_outbox");
            e.HasKey(o => o.Id);
            e.Property(o => o.Id).HasColumnName("id").HasMaxLength(100);
            e.Property(o => o.InstanceId).HasColumnName("instance_id").HasMaxLength(64);
            e.Property(o => o.Kind).HasColumnName("kind").HasMaxLength(100);
            e.Property(o => o.Payload).HasColumnName("payload");
            e.Property(o => o.CreatedAt).HasColumnName("created_at");
            e.HasIndex(o => o.CreatedAt).HasDatabaseName("ix_outbox_created");
        });

        modelBuilder.Entity<MessageRecord>(e =>
        {
            e.ToTable("yishi_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).HasColumnName("id").HasMaxLength(64);
            e.Property(m => m.Name).HasColumnName("name").HasMaxLength(200);
            e.Property(m => m.CorrelationKey).HasColumnName("correlation_key").HasMaxLength(200);
            e.Property(m => m.Payload).HasColumnName("payload");
            e.Property(m => m.ReceivedAt).HasColumnName("received_at");
            e.Property(m => m.ExpiresAt).HasColumnName("expires_at");
            e.Property(m => m.Scope).HasColumnName("scope").HasMaxLength(400);
            e.HasIndex(m => new { m.Name, m.CorrelationKey }).HasDatabaseName("ix_messages_name_key");
            e.HasIndex(m => m.ExpiresAt).HasDatabaseName("ix_messages_expires");
        });
    }
}

/// <summary>The SQLite schema and migrations.</summary>
public sealed class SqliteYishiDbContext(DbContextOptions<SqliteYishiDbContext> options) : YishiDbContext(options);

/// <summary>The PostgreSQL schema and migrations.</summary>
public sealed class PostgreSqlYishiDbContext(DbContextOptions<PostgreSqlYishiDbContext> options) : YishiDbContext(options);

/// <summary>The SQL Server schema and migrations.</summary>
public sealed class SqlServerYishiDbContext(DbContextOptions<SqlServerYishiDbContext> options) : YishiDbContext(options);
