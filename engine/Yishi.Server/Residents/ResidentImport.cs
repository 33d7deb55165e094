using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Yishi.Server.Data;
using Yishi.Server.Identity;

namespace Yishi.Server.Residents;

/// <summary>A row of the registry that cannot be imported, and where (line and column in the file).</summary>
public sealed record ImportError(int Line, int Column, string Field, string Message);

/// <summary>What an import did.</summary>
public sealed record ImportResult(int Created, int Updated, int HouseholdsCreated);

/// <summary>
/// Imports the residents registry from CSV: one resident per row with their org unit (the group or building), household,
/// whether they represent it, birth date (adulthood for ballots), whether they are a village or residents'
/// representative, and whether staff checked their identity. Every row is checked first; any problem is reported with
/// its line and column and nothing is imported. Residents are matched by phone: a known one is updated. New residents
/// get no password: they sign in with a code sent by SMS.
/// </summary>
internal sealed partial class ResidentImport(ServerDbContext db, UserManager<YishiUser> users, TimeProvider clock)
{
    public const int MaxRows = 20_000;

    private static readonly string[] Required = ["name", "phone", "org_unit"];
    private static readonly string[] Known = ["name", "phone", "org_unit", "household", "household_representative", "birth_date", "representative", "verified"];

    private sealed record Row(int Line, Dictionary<string, CsvCell> Cells)
    {
        public string Text(string field) => Cells.TryGetValue(field, out var cell) ? cell.Text.Trim() : "";

        public (int Line, int Column) At(string field) => Cells.TryGetValue(field, out var cell) ? (cell.Line, cell.Column) : (Line, 1);
    }

    private sealed record Resident(Row Row, string Name, string Phone, string OrgUnitId, string? Household, bool HouseholdRepresentative, DateOnly? BirthDate,
        bool Representative, bool Verified);

    /// <summary>Checks the file and, if every row is right, imports it in one transaction.</summary>
    public async Task<(ImportResult? Result, IReadOnlyList<ImportError> Errors)> ImportAsync(string csv, CancellationToken cancellationToken)
    {
        var errors = new List<ImportError>();
        var rows = Parse(csv, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var residents = await CheckAsync(rows, errors, cancellationToken);
        return errors.Count > 0 ? (null, errors) : (await SaveAsync(residents, errors, cancellationToken), errors);
    }

    private static List<Row> Parse(string csv, List<ImportError> errors)
    {
        var (table, error, errorLine) = CsvTable.Read(csv);
        if (error is not null)
        {
            errors.Add(new ImportError(errorLine, 1, "", error));
            return [];
        }

        if (table.Count == 0)
        {
            errors.Add(new ImportError(1, 1, "", $"The file is empty. Its first line names the columns: {string.Join(",", Known)}."));
            return [];
        }

        var header = table[0];
        var columns = header.Select(c => c.Text.Trim().ToLowerInvariant()).ToList();
        foreach (var cell in header.Where(c => !Known.Contains(c.Text.Trim().ToLowerInvariant())))
        {
            errors.Add(new ImportError(cell.Line, cell.Column, cell.Text, $"'{cell.Text}' is not a column. Columns are: {string.Join(", ", Known)}."));
        }

        foreach (var missing in Required.Where(r => !columns.Contains(r)))
        {
            errors.Add(new ImportError(1, 1, missing, $"The column '{missing}' is required."));
        }

        if (table.Count - 1 > MaxRows)
        {
            errors.Add(new ImportError(1, 1, "", $"The file has {table.Count - 1:N0} rows; import at most {MaxRows:N0} at a time."));
        }

        foreach (var extra in table.Skip(1).Where(cells => cells.Count > columns.Count).Select(cells => cells[columns.Count]))
        {
            errors.Add(new ImportError(extra.Line, extra.Column, "", $"The row has more values than the {columns.Count} columns named on the first line."));
        }

        return [.. table.Skip(1).Select(cells => new Row(cells[0].Line, cells.Take(columns.Count).Select((c, i) => (columns[i], c))
            .GroupBy(p => p.Item1).ToDictionary(g => g.Key, g => g.First().c)))];
    }

    private async Task<List<Resident>> CheckAsync(List<Row> rows, List<ImportError> errors, CancellationToken cancellationToken)
    {
        var units = (await db.OrgUnits.AsNoTracking().Select(o => o.Id).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var residents = new List<Resident>();
        var phones = new Dictionary<string, int>(StringComparer.Ordinal);
        var representatives = new Dictionary<(string, string), int>();
        foreach (var row in rows)
        {
            void Fail(string field, string message)
            {
                var (line, column) = row.At(field);
                errors.Add(new ImportError(line, column, field, message));
            }

            var name = row.Text("name");
            var phone = Regex.Replace(row.Text("phone"), @"[\s-]", "");
            var unit = row.Text("org_unit");
            if (name.Length is 0 or > 100)
            {
                Fail("name", "The name is required (at most 100 characters).");
            }

            if (!PhonePattern().IsMatch(phone))
            {
                Fail("phone", "The phone must be a mainland mobile number of 11 digits, e.g. 13800001234.");
            }
            else if (phones.TryGetValue(phone, out var first))
            {
                Fail("phone", $"The same phone is on line {first}; one resident per phone.");
            }
            else
            {
                phones[phone] = row.Line;
            }

            if (!units.Contains(unit))
            {
                Fail("org_unit", $"There is no org unit '{unit}'. Use the unit's id (GET /api/admin/org-units).");
            }

            DateOnly? birth = null;
            if (row.Text("birth_date") is { Length: > 0 } birthText)
            {
                if (!DateOnly.TryParseExact(birthText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || parsed > today)
                {
                    Fail("birth_date", "The birth date is written yyyy-MM-dd and is not in the future.");
                }
                else
                {
                    birth = parsed;
                }
            }

            var flags = new Dictionary<string, bool>();
            foreach (var field in new[] { "household_representative", "representative", "verified" })
            {
                if (Flag(row.Text(field)) is { } value)
                {
                    flags[field] = value;
                }
                else
                {
                    Fail(field, "Write yes or no (是/否).");
                }
            }

            var household = row.Text("household") is { Length: > 0 } address ? address : null;
            if (flags.GetValueOrDefault("household_representative") && household is null)
            {
                Fail("household_representative", "A household representative needs a household.");
            }
            else if (flags.GetValueOrDefault("household_representative") && household is not null)
            {
                if (representatives.TryGetValue((unit, household), out var other))
                {
                    Fail("household_representative", $"The household already has its representative on line {other}.");
                }
                else
                {
                    representatives[(unit, household)] = row.Line;
                }
            }

            residents.Add(new Resident(row, name, phone, unit, household, flags.GetValueOrDefault("household_representative"), birth,
                flags.GetValueOrDefault("representative"), flags.GetValueOrDefault("verified")));
        }

        return residents;
    }

    private async Task<ImportResult?> SaveAsync(List<Resident> residents, List<ImportError> errors, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var households = await db.Households.ToListAsync(cancellationToken);
        var staff = (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where r.Name != Roles.Resident select ur.UserId)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var phones = residents.Select(r => r.Phone).ToList();
        var known = await db.Users.Where(u => phones.Contains(u.PhoneNumber!) || phones.Contains(u.UserName!)).ToListAsync(cancellationToken);
        var (created, updated, newHouseholds) = (0, 0, 0);
        foreach (var resident in residents)
        {
            var user = known.FirstOrDefault(u => u.PhoneNumber == resident.Phone || u.UserName == resident.Phone);
            if (user is not null && staff.Contains(user.Id))
            {
                errors.Add(new ImportError(resident.Row.At("phone").Line, resident.Row.At("phone").Column, "phone", "This phone belongs to a staff account, not a resident."));
                continue;
            }

            Household? household = null;
            if (resident.Household is { } address)
            {
                household = households.FirstOrDefault(h => h.OrgUnitId == resident.OrgUnitId && h.Address == address);
                if (household is null)
                {
                    household = new Household { Id = "h-" + Guid.NewGuid().ToString("N")[..12], OrgUnitId = resident.OrgUnitId, Address = address };
                    households.Add(household);
                    db.Households.Add(household);
                    newHouseholds++;
                }
            }

            var isNew = user is null;
            user ??= new YishiUser { UserName = resident.Phone, PhoneNumber = resident.Phone };
            user.DisplayName = resident.Name;
            user.OrgUnitId = resident.OrgUnitId;
            user.HouseholdId = household?.Id;
            user.BirthDate = resident.BirthDate;
            user.Representative = resident.Representative;
            user.Verified = resident.Verified;
            var saved = isNew ? await users.CreateAsync(user) : await users.UpdateAsync(user);
            if (saved.Succeeded && isNew)
            {
                saved = await users.AddToRoleAsync(user, Roles.Resident);
            }

            if (!saved.Succeeded)
            {
                errors.Add(new ImportError(resident.Row.Line, 1, "", string.Join(" ", saved.Errors.Select(e => e.Description))));
                continue;
            }

            if (household is not null && resident.HouseholdRepresentative)
            {
                household.RepresentativeUserId = user.Id;
            }

            (created, updated) = isNew ? (created + 1, updated) : (created, updated + 1);
        }

        if (errors.Count > 0)
        {
            // Nothing half-imported: the rows saved so far are undone with the transaction.
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ImportResult(created, updated, newHouseholds);
    }

    private static bool? Flag(string text) => text.ToLowerInvariant() switch
    {
        "" or "no" or "n" or "false" or "0" or "否" => false,
        "yes" or "y" or "true" or "1" or "是" => true,
        _ => null,
    };

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex PhonePattern();
}
