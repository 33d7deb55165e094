using System.Security.Claims;
using Yishi.Server.Identity;

namespace Yishi.Server.OrgUnits;

/// <summary>
/// Where the signed-in user acts: their org unit and the units below it. They see what belongs to those units
/// and to the units above them (a street's shipped workflows are visible in its communities); they change only
/// what belongs to their own subtree. Admins act everywhere.
/// </summary>
internal sealed class OrgScope(OrgUnitDirectory directory, Definitions.DefinitionOwners owners)
{
    /// <summary>May the user run the definition? A definition the server has no owner for is everyone's (made by the engine alone).</summary>
    public async Task<bool> CanSeeDefinitionAsync(ClaimsPrincipal user, string definitionId, CancellationToken cancellationToken) =>
        await owners.OwnerOfAsync(definitionId, cancellationToken) is not { } owner || await CanSeeAsync(user, owner, cancellationToken);

    /// <summary>May the user change things owned by <paramref name="orgUnitId"/>?</summary>
    public async Task<bool> CanChangeAsync(ClaimsPrincipal user, string orgUnitId, CancellationToken cancellationToken)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return true;
        }

        var paths = await directory.PathsAsync(cancellationToken);
        return paths.TryGetValue(user.OrgUnit(), out var mine) && paths.TryGetValue(orgUnitId, out var theirs) && theirs.StartsWith(mine, StringComparison.Ordinal);
    }

    /// <summary>May the user see things owned by <paramref name="orgUnitId"/> (their subtree and the units above)?</summary>
    public async Task<bool> CanSeeAsync(ClaimsPrincipal user, string orgUnitId, CancellationToken cancellationToken)
    {
        if (user.IsInRole(Roles.Admin) || orgUnitId.Length == 0)
        {
            return true;
        }

        var paths = await directory.PathsAsync(cancellationToken);
        return paths.TryGetValue(user.OrgUnit(), out var mine) && paths.TryGetValue(orgUnitId, out var theirs)
               && (theirs.StartsWith(mine, StringComparison.Ordinal) || mine.StartsWith(theirs, StringComparison.Ordinal));
    }
}
