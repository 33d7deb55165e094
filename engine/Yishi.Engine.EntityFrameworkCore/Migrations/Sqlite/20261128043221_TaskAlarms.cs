using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Yishi.Engine.EntityFrameworkCore.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TaskAlarms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "alarm_at",
                table: "yishi_bookmarks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_bookmarks_open_alarm",
                table: "yishi_bookmarks",
                column: "alarm_at",
                filter: "consumed_at IS NULL AND alarm_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_bookmarks_open_alarm",
                table: "yishi_bookmarks");

            migrationBuilder.DropColumn(
                name: "alarm_at",
                table: "yishi_bookmarks");
        }
    }
}
