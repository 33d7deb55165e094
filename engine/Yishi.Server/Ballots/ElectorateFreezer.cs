using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Ballots;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.OrgUnits;

namespace Yishi.Server.Ballots;

/// <summary>
/// Freezes a ballot's electorate when notice is given: who is on the roll is decided once, from the registry as it
/// stands then, and never again — someone who registers after the notice cannot vote, someone who moves away after it
/// still can. Adulthood (18 or over) is judged on the local date of the notice, so a resident whose 18th birthday is
/// that day is on the roll and one whose birthday is the next day is not.
/// </summary>
internal static class ElectorateFreezer
{
    /// <summary>The age of majority (中华人民共和国民法典 Art 17; 村民委员会组织法 Art 13 for the right to vote).</summary>
    public const int AdultAge = 18;

    /// <summary>The roll and the counts it makes, before anything is written.</summary>
    public sealed record Roll(IReadOnlyList<BallotVoterRecord> Voters, IReadOnlyList<string> Counts);

    /// <summary>Reads the registry for the ballot's unit and mode.</summary>
    public static async Task<Roll> ReadAsync(ServerDbContext db, OrgUnitDirectory directory, BallotRecord ballot, ElectorateMode mode, CancellationToken cancellationToken)
    {
        var paths = await directory.PathsAsync(cancellationToken);
        var units = paths.Where(p => p.Value.StartsWith(ballot.OrgPath, StringComparison.Ordinal)).Select(p => p.Key).ToList();
        var residents = await (from u in db.Users
                               join ur in db.UserRoles on u.Id equals ur.UserId
                               join r in db.Roles on ur.RoleId equals r.Id
                               where r.Name == Roles.Resident && units.Contains(u.OrgUnitId)
                               select new { u.Id, u.HouseholdId, u.BirthDate, u.Representative, u.Verified }).AsNoTracking().ToListAsync(cancellationToken);
        var adultBornBy = ballot.FrozenOn.AddYears(-AdultAge);
        var adults = residents.Where(r => r.BirthDate is { } born && born <= adultBornBy).ToList();
        List<BallotVoterRecord> voters;
        switch (mode)
        {
            case ElectorateMode.Household:
                var households = adults.Where(a => a.HouseholdId is not null).Select(a => a.HouseholdId!).Distinct().ToList();
                var representatives = await db.Households.AsNoTracking().Where(h => households.Contains(h.Id) && h.RepresentativeUserId != null)
                    .ToDictionaryAsync(h => h.Id, h => h.RepresentativeUserId!, cancellationToken);
                // The household's representative votes for it; where none is named, any adult member may, and the first vote counts.
                voters = [.. adults.Where(a => a.HouseholdId is not null && (!representatives.TryGetValue(a.HouseholdId, out var rep) || rep == a.Id))
                    .Select(a => Voter(ballot, a.Id, a.HouseholdId!, a.Verified))];
                break;
            case ElectorateMode.Representatives:
                voters = [.. adults.Where(a => a.Representative).Select(a => Voter(ballot, a.Id, a.Id, a.Verified))];
                break;
            default:
                voters = [.. adults.Select(a => Voter(ballot, a.Id, a.Id, a.Verified))];
                break;
        }

        return new Roll(voters, [.. voters.Select(v => v.CountKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    private static BallotVoterRecord Voter(BallotRecord ballot, string userId, string countKey, bool verified) =>
        new() { BallotId = ballot.Id, UserId = userId, CountKey = countKey, Verified = verified };

    /// <summary>One empty slot per count, under random ids: the order of the slots says nothing about who fills which.</summary>
    public static IEnumerable<BallotSlotRecord> Slots(string ballotId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return new BallotSlotRecord { BallotId = ballotId, SlotId = RandomId() };
        }
    }

    /// <summary>128 random bits as hex: no sequence, no clock.</summary>
    public static string RandomId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
