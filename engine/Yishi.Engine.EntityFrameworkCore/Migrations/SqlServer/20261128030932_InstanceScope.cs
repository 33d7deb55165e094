using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Yishi.Engine.EntityFrameworkCore.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InstanceScope : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "scope",
                table: "yishi_instances",
                type: "nvarchar(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "scope",
                table: "yishi_bookmarks",
                type: "nvarchar(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_instances_scope_created",
                table: "yishi_instances",
                columns: new[] { "scope", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_instances_scope_created",
                table: "yishi_instances");

            migrationBuilder.DropColumn(
                name: "scope",
                table: "yishi_instances");

            migrationBuilder.DropColumn(
                name: "scope",
                table: "yishi_bookmarks");
        }
    }
}
