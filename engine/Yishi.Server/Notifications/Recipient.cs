using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Notifications.Channels;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.OrgUnits;

namespace Yishi.Server.Notifications;

/// <summary>A person a notification goes to: a user, or a contact (name, phone, email) without an account.</summary>
/// <param name="Key">The user id, or <c>contact:</c> and a hash of the contact's phone or email.</param>
/// <param name="Name">Their name (templates mask it).</param>
/// <param name="Locale">The language they read.</param>
/// <param name="Staff">Whether they are staff.</param>
/// <param name="UserId">Their account, if any (in-app messages need one).</param>
/// <param name="Phone">Phone number, if known.</param>
/// <param name="Email">Email address, if known.</param>
/// <param name="Preferred">The channels they chose, best first.</param>
/// <param name="DailyDigest">Whether they want one digest email a day instead of one email per message.</param>
internal sealed record Recipient(string Key, string Name, string Locale, bool Staff, string? UserId, string? Phone, string? Email,
    IReadOnlyList<string> Preferred, bool DailyDigest)
{
    /// <summary>
    /// The channels this recipient gets a message on: the ones they prefer, narrowed to <paramref name="allowed"/>
    /// (the Notify's channels) and to what their contact data allows. If that leaves none, the first allowed channel
    /// they can be reached on; a user can always be reached in-app.
    /// </summary>
    public IReadOnlyList<string> ChannelsFor(IReadOnlyList<string>? allowed)
    {
        var reachable = ChannelNames.All.Where(CanReceive).ToList();
        var wanted = Preferred.Where(c => reachable.Contains(c) && (allowed is null || allowed.Contains(c))).Distinct().ToList();
        if (wanted.Count > 0)
        {
            return wanted;
        }

        var fallback = (allowed ?? [ChannelNames.InApp, ChannelNames.Sms, ChannelNames.Email]).FirstOrDefault(reachable.Contains);
        return fallback is null ? [] : [fallback];
    }

    private bool CanReceive(string channel) => channel switch
    {
        ChannelNames.InApp => UserId is not null,
        ChannelNames.Sms => !string.IsNullOrWhiteSpace(Phone),
        ChannelNames.Email => !string.IsNullOrWhiteSpace(Email),
        _ => false,
    };

    /// <summary>The address a channel delivers to.</summary>
    public string AddressFor(string channel) => channel switch
    {
        ChannelNames.Sms => Phone!,
        ChannelNames.Email => Email!,
        _ => UserId!,
    };

    /// <summary>A contact from a variable: <c>{"name", "phone", "email", "locale", "channels"}</c>.</summary>
    public static Recipient? FromContact(JsonObject contact)
    {
        var phone = contact["phone"]?.GetValue<string>();
        var email = contact["email"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(phone) && string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var identity = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{phone}|{email}")))[..24];
        var preferred = contact["channels"] is JsonArray list ? list.Select(c => c?.GetValue<string>() ?? "").ToList() : [ChannelNames.Sms, ChannelNames.Email];
        return new Recipient("contact:" + identity, contact["name"]?.GetValue<string>() ?? "", contact["locale"]?.GetValue<string>() ?? "zh-CN",
            Staff: false, UserId: null, phone, email, preferred, DailyDigest: false);
    }
}

/// <summary>Turns a Notify's <c>to</c> list into people.</summary>
internal sealed class Recipients(ServerDbContext db, OrgUnitDirectory directory)
{
    /// <summary>
    /// Everyone the list names, each once (by key), in a stable order; <paramref name="variables"/> are the case's when the
    /// Notify ran. The case's parties are those linked when the message is planned: users by account, the others by phone
    /// (a contact, in Chinese). A ballot's electorate, or those of it who have not voted yet, are the people on the frozen roll of the
    /// case's latest run of that Ballot activity (in household mode, the members who may vote for a household that has not).
    /// </summary>
    public async Task<IReadOnlyList<Recipient>> ResolveAsync(JsonArray to, JsonObject variables, string? scope, string instanceId, CancellationToken cancellationToken)
    {
        var userIds = new List<string>();
        var contacts = new List<Recipient>();
        foreach (var entry in to.OfType<JsonObject>())
        {
            if (entry["role"]?.GetValue<string>() is { } role)
            {
                userIds.AddRange(await HoldersOverAsync(role, scope ?? "/", cancellationToken));
            }
            else if (entry["user"]?.GetValue<string>() is { } user)
            {
                userIds.Add(user);
            }
            else if (entry["electorate"]?.GetValue<string>() is { } ballotActivity)
            {
                userIds.AddRange(await RollAsync(instanceId, ballotActivity, notVotedOnly: false, cancellationToken));
            }
            else if (entry["notVoted"]?.GetValue<string>() is { } pendingActivity)
            {
                userIds.AddRange(await RollAsync(instanceId, pendingActivity, notVotedOnly: true, cancellationToken));
            }
            else if (entry["residents"] is not null)
            {
                userIds.AddRange(await ResidentsUnderAsync(scope ?? "/", cancellationToken));
            }
            else if (entry["participants"]?.GetValue<string>() is { } consultationActivity)
            {
                userIds.AddRange(await ParticipantsAsync(instanceId, consultationActivity, cancellationToken));
            }
            else if (entry["parties"]?.GetValue<string>() is { } partyRole)
            {
                foreach (var party in await PartiesAsync(instanceId, partyRole, cancellationToken))
                {
                    if (party.UserId is not null)
                    {
                        userIds.Add(party.UserId);
                    }
                    else if (Recipient.FromContact(new JsonObject { ["name"] = party.Name, ["phone"] = party.Phone, ["locale"] = "zh-CN" }) is { } contact)
                    {
                        contacts.Add(contact);
                    }
                }
            }
            else if (entry["variable"]?.GetValue<string>() is { } name && variables[name] is { } value)
            {
                foreach (var item in value is JsonArray many ? many : new JsonArray(value.DeepClone()))
                {
                    switch (item)
                    {
                        case JsonValue id when id.TryGetValue<string>(out var userId):
                            userIds.Add(userId);
                            break;
                        case JsonObject obj when obj["userId"]?.GetValue<string>() is { } userId:
                            userIds.Add(userId);
                            break;
                        case JsonObject obj when Recipient.FromContact(obj) is { } contact:
                            contacts.Add(contact);
                            break;
                    }
                }
            }
        }

        var users = await UsersAsync(userIds.Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        return [.. users.Concat(contacts).DistinctBy(r => r.Key)];
    }

    private async Task<IReadOnlyList<string>> RollAsync(string instanceId, string activityId, bool notVotedOnly, CancellationToken cancellationToken)
    {
        var ballots = await db.Ballots.AsNoTracking().Where(b => b.InstanceId == instanceId && b.ActivityId == activityId).Select(b => new { b.Id, b.NoticeAt }).ToListAsync(cancellationToken);
        if (ballots.OrderByDescending(b => b.NoticeAt).FirstOrDefault()?.Id is not { } ballotId)
        {
            return [];
        }

        var roll = from v in db.BallotVoters
                   join t in db.BallotTurnout on new { v.BallotId, v.CountKey } equals new { t.BallotId, t.CountKey }
                   where v.BallotId == ballotId && (!notVotedOnly || t.Channel == null)
                   select v.UserId;
        return await roll.AsNoTracking().ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The residents who gave an opinion (whatever became of it) or a score in the case's latest run of that
    /// Consultation activity: the people owed the feedback.
    /// </summary>
    private async Task<IReadOnlyList<string>> ParticipantsAsync(string instanceId, string activityId, CancellationToken cancellationToken)
    {
        var runs = await db.Consultations.AsNoTracking().Where(c => c.InstanceId == instanceId && c.ActivityId == activityId).Select(c => new { c.Id, c.OpensAt }).ToListAsync(cancellationToken);
        if (runs.OrderByDescending(c => c.OpensAt).FirstOrDefault()?.Id is not { } consultationId)
        {
            return [];
        }

        var authors = await db.Opinions.AsNoTracking().Where(o => o.ConsultationId == consultationId).Select(o => o.AuthorId).ToListAsync(cancellationToken);
        var scorers = await db.Evaluations.AsNoTracking().Where(e => e.ConsultationId == consultationId).Select(e => e.ResidentId).ToListAsync(cancellationToken);
        return [.. authors.Concat(scorers).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The case's parties in <paramref name="role"/> (<c>*</c>: all of them), in the order they were linked.</summary>
    private async Task<IReadOnlyList<CaseParty>> PartiesAsync(string instanceId, string role, CancellationToken cancellationToken)
    {
        var all = role == Engine.Activities.BuiltIn.NotifyActivity.AllParties;
        var parties = await db.CaseParties.AsNoTracking().Where(p => p.InstanceId == instanceId && (all || p.Role == role)).ToListAsync(cancellationToken);
        return [.. parties.OrderBy(p => p.LinkedAt).ThenBy(p => p.Id, StringComparer.Ordinal)];
    }

    /// <summary>Users with <paramref name="role"/> whose own unit is the case's unit or above it: those who may act on it.</summary>
    public Task<IReadOnlyList<string>> HoldersOverAsync(string role, string scope, CancellationToken cancellationToken) =>
        HoldersAsync(role, own => scope.StartsWith(own, StringComparison.Ordinal), cancellationToken);

    /// <summary>Residents whose own unit is the case's unit or below it: those a public notice of the case is for.</summary>
    private Task<IReadOnlyList<string>> ResidentsUnderAsync(string scope, CancellationToken cancellationToken) =>
        HoldersAsync(Roles.Resident, own => own.StartsWith(scope, StringComparison.Ordinal), cancellationToken);

    private async Task<IReadOnlyList<string>> HoldersAsync(string role, Func<string, bool> unitMatches, CancellationToken cancellationToken)
    {
        var paths = await directory.PathsAsync(cancellationToken);
        var holders = await (from u in db.Users
                             join ur in db.UserRoles on u.Id equals ur.UserId
                             join r in db.Roles on ur.RoleId equals r.Id
                             where r.Name == role
                             select new { u.Id, u.OrgUnitId }).AsNoTracking().ToListAsync(cancellationToken);
        return [.. holders.Where(h => paths.TryGetValue(h.OrgUnitId, out var own) && unitMatches(own)).Select(h => h.Id).Order(StringComparer.Ordinal)];
    }

    private async Task<IReadOnlyList<Recipient>> UsersAsync(List<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToListAsync(cancellationToken);
        var staff = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId) && r.Name != Roles.Resident
                           select ur.UserId).Distinct().ToListAsync(cancellationToken);
        return [.. users.OrderBy(u => u.Id, StringComparer.Ordinal).Select(u => new Recipient(u.Id, u.DisplayName, u.PreferredLocale, staff.Contains(u.Id), u.Id,
            u.PhoneNumber, u.Email, u.PreferredChannels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), u.DailyDigest))];
    }
}
