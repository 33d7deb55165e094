using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Yishi.Server.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Ballots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "yishi_audit",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Data = table.Column<string>(type: "text", nullable: false),
                    PrevHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_audit", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "yishi_ballot_paper_batches",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    BallotId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Ballots = table.Column<string>(type: "text", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    EnteredBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    EnteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ConfirmedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    ConfirmedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_ballot_paper_batches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "yishi_ballot_slots",
                columns: table => new
                {
                    BallotId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SlotId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Choices = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ReceiptHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Voter = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_ballot_slots", x => new { x.BallotId, x.SlotId });
                });

            migrationBuilder.CreateTable(
                name: "yishi_ballot_turnout",
                columns: table => new
                {
                    BallotId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CountKey = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Channel = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_ballot_turnout", x => new { x.BallotId, x.CountKey });
                });

            migrationBuilder.CreateTable(
                name: "yishi_ballot_vote_changes",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    BallotId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CountKey = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Choices = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_ballot_vote_changes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "yishi_ballot_voters",
                columns: table => new
                {
                    BallotId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CountKey = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Verified = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_ballot_voters", x => new { x.BallotId, x.UserId });
                });

            migrationBuilder.CreateTable(
                name: "yishi_ballots",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    InstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ActivityId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DefinitionId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DefinitionVersion = table.Column<int>(type: "integer", nullable: false),
                    OrgUnitId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OrgPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    Questions = table.Column<string>(type: "text", nullable: false),
                    Mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Rule = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CustomQuorum = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    CustomDecision = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Secret = table.Column<bool>(type: "boolean", nullable: false),
                    ResultsHidden = table.Column<bool>(type: "boolean", nullable: false),
                    AllowChange = table.Column<bool>(type: "boolean", nullable: false),
                    EarlyClose = table.Column<bool>(type: "boolean", nullable: false),
                    NoticeAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FrozenOn = table.Column<DateOnly>(type: "date", nullable: false),
                    OpensAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosesAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Electorate = table.Column<int>(type: "integer", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Result = table.Column<string>(type: "text", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AuditHead = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    TurnoutMilestone = table.Column<int>(type: "integer", nullable: false),
                    ResultVariable = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Resumed = table.Column<bool>(type: "boolean", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_ballots", x => x.Id);
                });

            // Room on every page, so a vote's update stays on the page where the row was made (in random order at notice)
            // instead of moving to the end of the table in the order of voting.
            migrationBuilder.Sql("ALTER TABLE yishi_ballot_slots SET (fillfactor = 50)");
            migrationBuilder.Sql("ALTER TABLE yishi_ballot_turnout SET (fillfactor = 50)");

            migrationBuilder.CreateIndex(
                name: "IX_yishi_audit_Subject_Sequence",
                table: "yishi_audit",
                columns: new[] { "Subject", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_yishi_ballot_paper_batches_BallotId",
                table: "yishi_ballot_paper_batches",
                column: "BallotId");

            migrationBuilder.CreateIndex(
                name: "IX_yishi_ballot_slots_BallotId_Voter",
                table: "yishi_ballot_slots",
                columns: new[] { "BallotId", "Voter" });

            migrationBuilder.CreateIndex(
                name: "IX_yishi_ballot_slots_ReceiptHash",
                table: "yishi_ballot_slots",
                column: "ReceiptHash");

            migrationBuilder.CreateIndex(
                name: "IX_yishi_ballot_vote_changes_BallotId_CountKey",
                table: "yishi_ballot_vote_changes",
                columns: new[] { "BallotId", "CountKey" });

            migrationBuilder.CreateIndex(
                name: "IX_yishi_ballots_InstanceId_ActivityId",
                table: "yishi_ballots",
                columns: new[] { "InstanceId", "ActivityId" });

            migrationBuilder.CreateIndex(
                name: "IX_yishi_ballots_Status",
                table: "yishi_ballots",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "yishi_audit");

            migrationBuilder.DropTable(
                name: "yishi_ballot_paper_batches");

            migrationBuilder.DropTable(
                name: "yishi_ballot_slots");

            migrationBuilder.DropTable(
                name: "yishi_ballot_turnout");

            migrationBuilder.DropTable(
                name: "yishi_ballot_vote_changes");

            migrationBuilder.DropTable(
                name: "yishi_ballot_voters");

            migrationBuilder.DropTable(
                name: "yishi_ballots");
        }
    }
}
