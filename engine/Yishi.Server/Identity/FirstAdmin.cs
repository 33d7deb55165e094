using Microsoft.AspNetCore.Identity;
using Yishi.Server.Data;

namespace Yishi.Server.Identity;

/// <summary>
/// Outside demo mode there are no default passwords: the first administrator is created from
/// <c>Yishi:AdminPassword</c> (e.g. the environment variable <c>Yishi__AdminPassword</c>) when no admin exists yet.
/// </summary>
internal static partial class FirstAdmin
{
    public static async Task EnsureAsync(IServiceProvider provider, string? password, ILogger logger, CancellationToken cancellationToken)
    {
        var users = provider.GetRequiredService<UserManager<YishiUser>>();
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return;
        }

        if (string.IsNullOrEmpty(password))
        {
            LogNoAdmin(logger);
            return;
        }

        var root = await provider.GetRequiredService<ServerDbContext>().RootOrgUnitIdAsync(cancellationToken);
        var admin = new YishiUser { UserName = "admin", DisplayName = "管理员", OrgUnitId = root, Verified = true };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("The first admin could not be created: " + string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(admin, Roles.Admin);
        LogCreated(logger);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No administrator exists. Set Yishi:AdminPassword (environment: Yishi__AdminPassword) to create 'admin' at start-up.")]
    private static partial void LogNoAdmin(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first administrator 'admin'.")]
    private static partial void LogCreated(ILogger logger);
}
