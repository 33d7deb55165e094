using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Yishi.Server.Migrations.PostgreSql
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
                    ProposalId = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    ResidentId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    SignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_cosignatures", x => new { x.ProposalId, x.ResidentId });
                });

            migrationBuilder.CreateTable(
                name: "yishi_proposals",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    InstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ActivityId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Scope = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Topic = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true),
                    Threshold = table.Column<int>(type: "integer", nullable: false),
                    Signatures = table.Column<int>(type: "integer", nullable: false),
                    OpensAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosesAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosesAtMs = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Resumed = table.Column<bool>(type: "boolean", nullable: false)
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
