using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Yishi.Server.Migrations.Sqlite
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
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Data = table.Column<string>(type: "TEXT", nullable: false),
                    PrevHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_audit", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "yishi_ballot_paper_batches",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    BallotId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Ballots = table.Column<string>(type: "TEXT", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    EnteredBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    EnteredAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ConfirmedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ConfirmedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_ballot_paper_batches", x => x.Id);
                });

            // WITHOUT ROWID: no hidden rowid counts the insertions, and rows are stored in key order (random for slots).
            migrationBuilder.Sql("""CREATE TABLE "yishi_ballot_slots" ("BallotId" TEXT NOT NULL, "SlotId" TEXT NOT NULL, "Choices" TEXT NULL, "ReceiptHash" TEXT NULL, "Voter" TEXT NULL, CONSTRAINT "PK_yishi_ballot_slots" PRIMARY KEY ("BallotId", "SlotId")) WITHOUT ROWID""");

            // WITHOUT ROWID: no hidden rowid counts the insertions, and rows are stored in key order (random for slots).
            migrationBuilder.Sql("""CREATE TABLE "yishi_ballot_turnout" ("BallotId" TEXT NOT NULL, "CountKey" TEXT NOT NULL, "Channel" TEXT NULL, CONSTRAINT "PK_yishi_ballot_turnout" PRIMARY KEY ("BallotId", "CountKey")) WITHOUT ROWID""");

            migrationBuilder.CreateTable(
                name: "yishi_ballot_vote_changes",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    BallotId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CountKey = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Choices = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_ballot_vote_changes", x => x.Id);
                });

            // WITHOUT ROWID: no hidden rowid counts the insertions, and rows are stored in key order (random for slots).
            migrationBuilder.Sql("""CREATE TABLE "yishi_ballot_voters" ("BallotId" TEXT NOT NULL, "UserId" TEXT NOT NULL, "CountKey" TEXT NOT NULL, "Verified" INTEGER NOT NULL, CONSTRAINT "PK_yishi_ballot_voters" PRIMARY KEY ("BallotId", "UserId")) WITHOUT ROWID""");

            migrationBuilder.CreateTable(
                name: "yishi_ballots",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    InstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DefinitionId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DefinitionVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    OrgUnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: false),
                    Questions = table.Column<string>(type: "TEXT", nullable: false),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CustomQuorum = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    CustomDecision = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    Secret = table.Column<bool>(type: "INTEGER", nullable: false),
                    ResultsHidden = table.Column<bool>(type: "INTEGER", nullable: false),
                    AllowChange = table.Column<bool>(type: "INTEGER", nullable: false),
                    EarlyClose = table.Column<bool>(type: "INTEGER", nullable: false),
                    NoticeAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    FrozenOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    OpensAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ClosesAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Electorate = table.Column<int>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Result = table.Column<string>(type: "TEXT", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    AuditHead = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    TurnoutMilestone = table.Column<int>(type: "INTEGER", nullable: false),
                    ResultVariable = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Resumed = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_ballots", x => x.Id);
                });

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
