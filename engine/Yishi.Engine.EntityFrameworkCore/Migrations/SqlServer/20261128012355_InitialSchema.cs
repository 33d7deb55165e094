using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Yishi.Engine.EntityFrameworkCore.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "yishi_bookmarks",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    instance_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    definition_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    activity_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    activity_type = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    token_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    due_at = table.Column<long>(type: "bigint", nullable: true),
                    role = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    user_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    message_name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    correlation_key = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    child_instance_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    payload = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    consumed_at = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_bookmarks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "yishi_definitions",
                columns: table => new
                {
                    definition_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    version = table.Column<int>(type: "int", nullable: false),
                    status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    json = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    content_hash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false),
                    published_at = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_definitions", x => new { x.definition_id, x.version });
                });

            migrationBuilder.CreateTable(
                name: "yishi_instances",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    definition_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    definition_version = table.Column<int>(type: "int", nullable: false),
                    status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    correlation_key = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    parent_instance_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    parent_bookmark_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false),
                    finished_at = table.Column<long>(type: "bigint", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_instances", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "yishi_journal",
                columns: table => new
                {
                    instance_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    activity_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    activity_type = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    outcome = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: true),
                    bookmark_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    actor_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    message = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    data = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_journal", x => new { x.instance_id, x.sequence });
                });

            migrationBuilder.CreateTable(
                name: "yishi_messages",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    correlation_key = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    payload = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    received_at = table.Column<long>(type: "bigint", nullable: false),
                    expires_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "yishi_outbox",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    instance_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    payload = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_outbox", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_bookmarks_instance",
                table: "yishi_bookmarks",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "ix_bookmarks_open_due",
                table: "yishi_bookmarks",
                column: "due_at",
                filter: "consumed_at IS NULL AND due_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_bookmarks_open_message",
                table: "yishi_bookmarks",
                columns: new[] { "message_name", "correlation_key" },
                filter: "consumed_at IS NULL AND message_name IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_bookmarks_open_role",
                table: "yishi_bookmarks",
                columns: new[] { "role", "due_at" },
                filter: "consumed_at IS NULL AND role IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_bookmarks_open_user",
                table: "yishi_bookmarks",
                columns: new[] { "user_id", "due_at" },
                filter: "consumed_at IS NULL AND user_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_instances_correlation_key",
                table: "yishi_instances",
                column: "correlation_key");

            migrationBuilder.CreateIndex(
                name: "ix_instances_definition_status",
                table: "yishi_instances",
                columns: new[] { "definition_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_instances_status_created",
                table: "yishi_instances",
                columns: new[] { "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_expires",
                table: "yishi_messages",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_messages_name_key",
                table: "yishi_messages",
                columns: new[] { "name", "correlation_key" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_created",
                table: "yishi_outbox",
                column: "created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "yishi_bookmarks");

            migrationBuilder.DropTable(
                name: "yishi_definitions");

            migrationBuilder.DropTable(
                name: "yishi_instances");

            migrationBuilder.DropTable(
                name: "yishi_journal");

            migrationBuilder.DropTable(
                name: "yishi_messages");

            migrationBuilder.DropTable(
                name: "yishi_outbox");
        }
    }
}
