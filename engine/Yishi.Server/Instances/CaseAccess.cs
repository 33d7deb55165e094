using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Instances;
using Yishi.Server.Data;
using Yishi.Server.Identity;

namespace Yishi.Server.Instances;

/// <summary>
/// Who may see a case: admins every case; staff and API keys the cases of their org unit and the units below;
/// residents only the cases they are party to. Anything else answers as if the case did not exist.
/// </summary>
internal static class CaseAccess
{
    /// <summary>Residents with no staff role see by party link, not by org unit.</summary>
    public static bool SeesByPartyOnly(this ClaimsPrincipal user) => user.IsInRole(Roles.Resident) && !Roles.Staff.Any(user.IsInRole);

    public static async Task<bool> MaySeeAsync(this ClaimsPrincipal user, WorkflowInstance instance, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (user.SeesByPartyOnly())
        {
            return await db.CaseParties.AnyAsync(p => p.InstanceId == instance.Id && p.UserId == user.UserId(), cancellationToken);
        }

        var actor = user.ToActor();
        if (actor.Reaches(instance.Scope))
        {
            return true;
        }

        // A unit that handed the case on (转办) keeps reading it.
        var handedFrom = await db.CaseTransfers.Where(t => t.InstanceId == instance.Id).Select(t => t.FromPath).ToListAsync(cancellationToken);
        return handedFrom.Any(actor.Reaches);
    }
}
