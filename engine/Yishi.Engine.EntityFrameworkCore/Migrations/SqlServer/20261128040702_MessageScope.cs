using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Yishi.Engine.EntityFrameworkCore.Migrations.SqlServer
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
                type: "nvarchar(400)",
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
