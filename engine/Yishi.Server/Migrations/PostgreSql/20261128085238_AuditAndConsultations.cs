using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Yishi.Server.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class AuditAndConsultations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "yishi_consultation_evaluations",
                columns: table => new
                {
                    ConsultationId = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    ResidentId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Scores = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_consultation_evaluations", x => new { x.ConsultationId, x.ResidentId });
                });

            migrationBuilder.CreateTable(
                name: "yishi_consultation_opinions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ConsultationId = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    AuthorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Stance = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ReviewedReports = table.Column<int>(type: "integer", nullable: false),
                    ModerationReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ModeratedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    ModeratedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Edits = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_consultation_opinions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "yishi_consultation_reports",
                columns: table => new
                {
                    OpinionId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ReporterId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_consultation_reports", x => new { x.OpinionId, x.ReporterId });
                });

            migrationBuilder.CreateTable(
                name: "yishi_consultations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    InstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ActivityId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DefinitionId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DefinitionVersion = table.Column<int>(type: "integer", nullable: false),
                    Scope = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Topic = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attachments = table.Column<string>(type: "text", nullable: false),
                    Questions = table.Column<string>(type: "text", nullable: false),
                    SensitiveWords = table.Column<string>(type: "text", nullable: false),
                    ReportThreshold = table.Column<int>(type: "integer", nullable: false),
                    OpensAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosesAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosesAtMs = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    Tally = table.Column<string>(type: "text", nullable: true),
                    Summary = table.Column<string>(type: "text", nullable: true),
                    SummaryAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SummaryBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    BookmarkId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Resumed = table.Column<bool>(type: "boolean", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_consultations", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_yishi_consultation_opinions_ConsultationId_AuthorId",
                table: "yishi_consultation_opinions",
                columns: new[] { "ConsultationId", "AuthorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_yishi_consultation_opinions_ConsultationId_Status_Id",
                table: "yishi_consultation_opinions",
                columns: new[] { "ConsultationId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_yishi_consultation_opinions_Status",
                table: "yishi_consultation_opinions",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_yishi_consultations_Scope",
                table: "yishi_consultations",
                column: "Scope");

            migrationBuilder.CreateIndex(
                name: "IX_yishi_consultations_Status_ClosesAtMs",
                table: "yishi_consultations",
                columns: new[] { "Status", "ClosesAtMs" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "yishi_consultation_evaluations");

            migrationBuilder.DropTable(
                name: "yishi_consultation_opinions");

            migrationBuilder.DropTable(
                name: "yishi_consultation_reports");

            migrationBuilder.DropTable(
                name: "yishi_consultations");
        }
    }
}
