using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Yishi.Server.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CaseFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Id",
                table: "yishi_case_parties",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            // The parties linked before this migration get an id each, before the key changes: the new key must be unique, and on
            // SQLite the update runs on the old table, before the rebuild that changes the key copies it.
            migrationBuilder.Sql(@"UPDATE [yishi_case_parties] SET [Id] = LOWER(REPLACE(CONVERT(char(36), NEWID()), '-', ''));");

            migrationBuilder.DropPrimaryKey(
                name: "PK_yishi_case_parties",
                table: "yishi_case_parties");

            migrationBuilder.AlterColumn<string>(
                name: "UserId",
                table: "yishi_case_parties",
                type: "nvarchar(450)",
                maxLength: 450,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(450)",
                oldMaxLength: 450);

            migrationBuilder.AddColumn<string>(
                name: "IdNumber",
                table: "yishi_case_parties",
                type: "nvarchar(18)",
                maxLength: 18,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "yishi_case_parties",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Phone",
                table: "yishi_case_parties",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_yishi_case_parties",
                table: "yishi_case_parties",
                column: "Id");

            migrationBuilder.CreateTable(
                name: "yishi_case_attachments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    InstanceId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Description = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    AddedBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    AddedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_case_attachments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "yishi_case_files",
                columns: table => new
                {
                    InstanceId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Category = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    Source = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    RiskLevel = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: true),
                    EscalationRisk = table.Column<bool>(type: "bit", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_case_files", x => x.InstanceId);
                });

            migrationBuilder.CreateTable(
                name: "yishi_case_records",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    InstanceId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: false),
                    Title = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(max)", maxLength: 20000, nullable: false),
                    HeldAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Place = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Attendees = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    AuthorId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_case_records", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "yishi_case_transfers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    InstanceId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    FromOrgUnitId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    FromPath = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    ToOrgUnitId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ToPath = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    By = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_yishi_case_transfers", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_yishi_case_parties_InstanceId_Phone",
                table: "yishi_case_parties",
                columns: new[] { "InstanceId", "Phone" },
                unique: true,
                filter: "[Phone] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_yishi_case_parties_InstanceId_UserId",
                table: "yishi_case_parties",
                columns: new[] { "InstanceId", "UserId" },
                unique: true,
                filter: "[UserId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_yishi_case_attachments_InstanceId",
                table: "yishi_case_attachments",
                column: "InstanceId");

            migrationBuilder.CreateIndex(
                name: "IX_yishi_case_attachments_Sha256",
                table: "yishi_case_attachments",
                column: "Sha256");

            migrationBuilder.CreateIndex(
                name: "IX_yishi_case_records_InstanceId_Id",
                table: "yishi_case_records",
                columns: new[] { "InstanceId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_yishi_case_transfers_InstanceId",
                table: "yishi_case_transfers",
                column: "InstanceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "yishi_case_attachments");

            migrationBuilder.DropTable(
                name: "yishi_case_files");

            migrationBuilder.DropTable(
                name: "yishi_case_records");

            migrationBuilder.DropTable(
                name: "yishi_case_transfers");

            // The old table is keyed by user: parties without an account cannot stay in it.
            migrationBuilder.Sql(@"DELETE FROM [yishi_case_parties] WHERE [UserId] IS NULL;");

            migrationBuilder.DropPrimaryKey(
                name: "PK_yishi_case_parties",
                table: "yishi_case_parties");

            migrationBuilder.DropIndex(
                name: "IX_yishi_case_parties_InstanceId_Phone",
                table: "yishi_case_parties");

            migrationBuilder.DropIndex(
                name: "IX_yishi_case_parties_InstanceId_UserId",
                table: "yishi_case_parties");

            migrationBuilder.DropColumn(
                name: "Id",
                table: "yishi_case_parties");

            migrationBuilder.DropColumn(
                name: "IdNumber",
                table: "yishi_case_parties");

            migrationBuilder.DropColumn(
                name: "Name",
                table: "yishi_case_parties");

            migrationBuilder.DropColumn(
                name: "Phone",
                table: "yishi_case_parties");

            migrationBuilder.AlterColumn<string>(
                name: "UserId",
                table: "yishi_case_parties",
                type: "nvarchar(450)",
                maxLength: 450,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "nvarchar(450)",
                oldMaxLength: 450,
                oldNullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_yishi_case_parties",
                table: "yishi_case_parties",
                columns: new[] { "InstanceId", "UserId" });
        }
    }
}
