using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Yishi.Server.Data;
using Yishi.Server.OrgUnits;

namespace Yishi.Server.Identity;

/// <summary>Adds the user's org unit, its path and the display name to the sign-in, so every request knows where its user acts.</summary>
internal sealed class YishiClaimsFactory(UserManager<YishiUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, OrgUnitDirectory directory)
    : UserClaimsPrincipalFactory<YishiUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(YishiUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(YishiClaims.OrgUnit, user.OrgUnitId));
        identity.AddClaim(new Claim(YishiClaims.OrgPath, await directory.PathOfAsync(user.OrgUnitId, CancellationToken.None) ?? ""));
        identity.AddClaim(new Claim(YishiClaims.DisplayName, user.DisplayName));
        return identity;
    }
}
