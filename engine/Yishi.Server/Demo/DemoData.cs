using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Yishi.Server.Data;
using Yishi.Server.Identity;

namespace Yishi.Server.Demo;

/// <summary>
/// Demo mode only: a street with two communities and one village, grids and households, staff for every role
/// and twenty residents (some under 18, one unverified), all with the password <c>Demo123!</c>. Phone numbers
/// are fictitious (the 1380000xxxx range). Seeded once; a second start changes nothing.
/// </summary>
internal sealed partial class DemoData(ServerDbContext db, UserManager<YishiUser> users, ILogger<DemoData> logger)
{
    public const string Password = "Demo123!";

    private static readonly OrgUnit[] Units =
    [
        new() { Id = "s1", Kind = "street", Name = "鹭江街道", NameEn = "Lujiang Street", Path = "/s1/" },
        new() { Id = "c1", ParentId = "s1", Kind = "community", Name = "海滨社区", NameEn = "Haibin Community", Path = "/s1/c1/" },
        new() { Id = "c2", ParentId = "s1", Kind = "community", Name = "和平社区", NameEn = "Heping Community", Path = "/s1/c2/" },
        new() { Id = "v1", ParentId = "s1", Kind = "village", Name = "东坪村", NameEn = "Dongping Village", Path = "/s1/v1/" },
        new() { Id = "c1-g1", ParentId = "c1", Kind = "grid", Name = "海滨一网格", NameEn = "Haibin Grid 1", Path = "/s1/c1/c1-g1/" },
        new() { Id = "c1-g2", ParentId = "c1", Kind = "grid", Name = "海滨二网格", NameEn = "Haibin Grid 2", Path = "/s1/c1/c1-g2/" },
        new() { Id = "c2-g1", ParentId = "c2", Kind = "grid", Name = "和平一网格", NameEn = "Heping Grid 1", Path = "/s1/c2/c2-g1/" },
        new() { Id = "v1-g1", ParentId = "v1", Kind = "grid", Name = "东坪一组", NameEn = "Dongping Group 1", Path = "/s1/v1/v1-g1/" },
        new() { Id = "v1-g2", ParentId = "v1", Kind = "grid", Name = "东坪二组", NameEn = "Dongping Group 2", Path = "/s1/v1/v1-g2/" },
    ];

    private static readonly (string UserName, string Name, string Role, string OrgUnit)[] Staff =
    [
        ("admin", "管理员", Roles.Admin, "s1"),
        ("staff", "社区工作者", Roles.Designer, "s1"),
        ("mediator", "王调解", Roles.Mediator, "c1"),
        ("mediator2", "李调解", Roles.Mediator, "c2"),
        ("supervisor", "陈主任", Roles.Supervisor, "s1"),
        ("reviewer", "街道审查员", Roles.Reviewer, "s1"),
        ("officer", "村务监督员", Roles.Officer, "v1"),
    ];

    private static readonly string[] Surnames = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await db.OrgUnits.AnyAsync(cancellationToken))
        {
            return;
        }

        db.OrgUnits.AddRange(Units);
        var grids = Units.Where(u => u.Kind == "grid").ToArray();
        var households = Enumerable.Range(1, 10).Select(i => new Household
        {
            Id = $"h{i}",
            OrgUnitId = grids[(i - 1) % grids.Length].Id,
            Address = string.Create(CultureInfo.InvariantCulture, $"{grids[(i - 1) % grids.Length].Name} {i} 号"),
        }).ToArray();
        db.Households.AddRange(households);
        await db.SaveChangesAsync(cancellationToken);

        foreach (var (userName, name, role, orgUnit) in Staff)
        {
            await CreateAsync(new YishiUser { UserName = userName, DisplayName = name, OrgUnitId = orgUnit, Verified = true }, role);
        }

        for (var i = 1; i <= 20; i++)
        {
            var household = households[(i - 1) % households.Length];
            var resident = new YishiUser
            {
                UserName = $"resident{i}",
                DisplayName = Surnames[(i - 1) % Surnames.Length] + (i % 2 == 0 ? "晓明" : "丽华"),
                PhoneNumber = string.Create(CultureInfo.InvariantCulture, $"1380000{i:D4}"),
                OrgUnitId = household.OrgUnitId,
                HouseholdId = household.Id,
                // Two minors (born 2012), useful for ballot eligibility; resident 7 is not verified yet.
                BirthDate = i >= 19 ? new DateOnly(2012, 5, i) : new DateOnly(1950 + (i * 2), (i % 12) + 1, 10),
                Verified = i != 7,
                PreferredChannels = i % 3 == 0 ? "inapp,sms" : "inapp",
            };
            await CreateAsync(resident, Roles.Resident);
            if (household.RepresentativeUserId is null)
            {
                household.RepresentativeUserId = resident.Id;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        LogSeeded(logger, Password);
    }

    private async Task CreateAsync(YishiUser user, string role)
    {
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"Demo user {user.UserName}: " + string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(user, role);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo mode: seeded org units, staff and residents; every demo password is {Password}")]
    private static partial void LogSeeded(ILogger logger, string password);
}
