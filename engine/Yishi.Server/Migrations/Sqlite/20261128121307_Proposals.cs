using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Yishi.Server.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Proposals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "yishi_cosignatures",
                columns: table => new
                {
                    ProposalId = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    ResidentId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    SignedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_cosignatures", x => new { x.ProposalId, x.ResidentId });
                });

            migrationBuilder.CreateTable(
                name: "yishi_proposals",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    InstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    Threshold = table.Column<int>(type: "INTEGER", nullable: false),
                    Signatures = table.Column<int>(type: "INTEGER", nullable: false),
                    OpensAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ClosesAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ClosesAtMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    Resumed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_proposals", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_yishi_proposals_Status_ClosesAtMs",
                table: "yishi_proposals",
                columns: new[] { "Status", "ClosesAtMs" });

            migrationBuilder.CreateIndex(
                name: "IX_yishi_proposals_Status_Resumed",
                table: "yishi_proposals",
                columns: new[] { "Status", "Resumed" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "yishi_cosignatures");

            migrationBuilder.DropTable(
                name: "yishi_proposals");
        }
    }
}
