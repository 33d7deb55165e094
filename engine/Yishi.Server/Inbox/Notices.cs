using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Yishi.Server.Data;
using Yishi.Server.OrgUnits;

namespace Yishi.Server.Inbox;

/// <summary>A notice for people, in both languages: each reader gets it in their preferred locale.</summary>
/// <param name="Kind">What it is about, e.g. <c>shipped-workflow-kept</c>.</param>
/// <param name="DedupKey">Sending the same key to a person again changes nothing.</param>
/// <param name="TitleZh">Title in Chinese.</param>
/// <param name="TitleEn">Title in English.</param>
/// <param name="BodyZh">Text in Chinese.</param>
/// <param name="BodyEn">Text in English.</param>
/// <param name="Link">Where in Yishi it points.</param>
public sealed record Notice(string Kind, string DedupKey, string TitleZh, string TitleEn, string BodyZh, string BodyEn, string? Link);

/// <summary>Puts notices in the in-app inbox of the people who hold a role over an org unit.</summary>
internal sealed class Notices(ServerDbContext db, UserManager<YishiUser> users, OrgUnitDirectory directory, Notifications.Recipients recipients, TimeProvider clock)
{
    /// <summary>
    /// Sends the notice to everyone with <paramref name="role"/> whose own unit is <paramref name="orgUnitId"/>
    /// or above it: the people who may act on something that unit owns. Answers how many got it new.
    /// </summary>
    public async Task<int> SendToRoleOverAsync(string role, string orgUnitId, Notice notice, CancellationToken cancellationToken)
    {
        var target = await directory.PathOfAsync(orgUnitId, cancellationToken) ?? "";
        return await SendToRoleOverPathAsync(role, target, notice, cancellationToken);
    }

    /// <summary>The same, for a unit given by its path (a case's scope): its role holders and those of the units above.</summary>
    public async Task<int> SendToRoleOverPathAsync(string role, string path, Notice notice, CancellationToken cancellationToken)
    {
        var ids = await recipients.HoldersOverAsync(role, path, cancellationToken);
        var readers = await users.Users.Where(u => ids.Contains(u.Id)).ToListAsync(cancellationToken);
        return await SendAsync(readers, notice, cancellationToken);
    }

    /// <summary>Sends the notice to one person, if they exist.</summary>
    public async Task<int> SendToUserAsync(string userId, Notice notice, CancellationToken cancellationToken) =>
        await users.FindByIdAsync(userId) is { } user ? await SendAsync([user], notice, cancellationToken) : 0;

    private async Task<int> SendAsync(IReadOnlyList<YishiUser> readers, Notice notice, CancellationToken cancellationToken)
    {
        var ids = readers.Select(u => u.Id).ToList();
        var already = await db.Inbox.AsNoTracking().Where(m => m.DedupKey == notice.DedupKey && ids.Contains(m.UserId)).Select(m => m.UserId)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var fresh = readers.Where(u => !already.Contains(u.Id)).ToList();
        db.Inbox.AddRange(fresh.Select(u =>
        {
            var english = u.PreferredLocale.StartsWith("en", StringComparison.OrdinalIgnoreCase);
            return new InboxMessage
            {
                // Version 7 ids sort by time, so the inbox orders by id on every provider.
                Id = Guid.CreateVersion7(now).ToString("N"),
                UserId = u.Id,
                Kind = notice.Kind,
                Title = english ? notice.TitleEn : notice.TitleZh,
                Body = english ? notice.BodyEn : notice.BodyZh,
                Link = notice.Link,
                DedupKey = notice.DedupKey,
                CreatedAt = now,
            };
        }));
        await db.SaveChangesAsync(cancellationToken);
        return fresh.Count;
    }
}
