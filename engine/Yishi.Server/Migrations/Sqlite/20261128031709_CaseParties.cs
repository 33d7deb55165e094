using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Yishi.Server.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaseParties : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "yishi_case_parties",
                columns: table => new
                {
                    InstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    LinkedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    LinkedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_case_parties", x => new { x.InstanceId, x.UserId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_yishi_case_parties_UserId",
                table: "yishi_case_parties",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "yishi_case_parties");
        }
    }
}
