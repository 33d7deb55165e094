using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Yishi.Engine.EntityFrameworkCore.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MessageScope : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "scope",
                table: "yishi_messages",
                type: "TEXT",
                maxLength: 400,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "scope",
                table: "yishi_messages");
        }
    }
}
