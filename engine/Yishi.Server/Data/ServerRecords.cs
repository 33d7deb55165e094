using Microsoft.AspNetCore.Identity;

namespace Yishi.Server.Data;

/// <summary>
/// A person who signs in: staff (admin, designer, mediator, supervisor, reviewer, officer) or a resident. A
/// resident's sign-in name is their phone number; the profile fields below are theirs.
/// </summary>
public sealed class YishiUser : IdentityUser
{
    /// <summary>Name shown to others (masked in lists).</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The org unit the user belongs to; they act within it and the units below.</summary>
    public string OrgUnitId { get; set; } = "";

    /// <summary>The resident's household, if any.</summary>
    public string? HouseholdId { get; set; }

    /// <summary>Birth date (residents): adulthood for ballots is judged from it.</summary>
    public DateOnly? BirthDate { get; set; }

    /// <summary>A village or residents' representative (村民代表/居民代表): they vote in representative assemblies.</summary>
    public bool Representative { get; set; }

    /// <summary>Whether the resident's identity was checked by staff.</summary>
    public bool Verified { get; set; }

    /// <summary><c>zh-CN</c> or <c>en</c>.</summary>
    public string PreferredLocale { get; set; } = "zh-CN";

    /// <summary>Channels the person wants notifications on, comma-separated (<c>inapp,sms,email</c>).</summary>
    public string PreferredChannels { get; set; } = "inapp";

    /// <summary>Staff who choose it get one email a day gathering their notifications instead of one email each.</summary>
    public bool DailyDigest { get; set; }
}

/// <summary>A street, a community or village under it, or a grid under those.</summary>
public sealed class OrgUnit
{
    public required string Id { get; set; }

    public string? ParentId { get; set; }

    /// <summary><c>street</c>, <c>community</c>, <c>village</c> or <c>grid</c>.</summary>
    public required string Kind { get; set; }

    public required string Name { get; set; }

    public required string NameEn { get; set; }

    /// <summary>Ids from the root down, slash-separated and slash-terminated (<c>/s1/c1/g1/</c>): a unit's subtree is a prefix match.</summary>
    public required string Path { get; set; }
}

/// <summary>A household in an org unit.</summary>
public sealed class Household
{
    public required string Id { get; set; }

    public required string OrgUnitId { get; set; }

    public required string Address { get; set; }

    public string? RepresentativeUserId { get; set; }
}

/// <summary>Which org unit owns a workflow definition, and what was last imported for it from <c>workflows/</c>.</summary>
public sealed class DefinitionOwnership
{
    public required string DefinitionId { get; set; }

    public required string OrgUnitId { get; set; }

    /// <summary>Content hash of the shipped file at its last import; null for definitions made by staff.</summary>
    public string? ImportedHash { get; set; }

    /// <summary>The version that import published.</summary>
    public int? ImportedVersion { get; set; }
}

/// <summary>
/// A person linked to a case as a party (the applicant, the other side of a dispute…): a user, or someone without an
/// account, known by name and phone. A resident sees the cases they are party to and nothing else.
/// </summary>
public sealed class CaseParty
{
    /// <summary>Time-ordered, so parties list in the order they were linked.</summary>
    public required string Id { get; set; }

    public required string InstanceId { get; set; }

    /// <summary>The party's account; null for a person without one (then <see cref="Name"/> and <see cref="Phone"/> say who).</summary>
    public string? UserId { get; set; }

    /// <summary>The name of a party without an account; a user's name is on their account.</summary>
    public string? Name { get; set; }

    /// <summary>The mainland mobile number (11 digits) of a party without an account.</summary>
    public string? Phone { get; set; }

    /// <summary>The resident ID number (18 characters, upper-case X), when staff recorded it.</summary>
    public string? IdNumber { get; set; }

    /// <summary>Their part in the case, e.g. <c>applicant</c> or <c>respondent</c>.</summary>
    public required string Role { get; set; }

    public DateTimeOffset LinkedAt { get; set; }

    public required string LinkedBy { get; set; }
}

/// <summary>
/// One version of a message template (<c>templates/&lt;key&gt;/&lt;locale&gt;.scriban</c>). Versions are only
/// ever added, so the text a version had can always be found again.
/// </summary>
public sealed class TemplateVersion
{
    /// <summary>Slash-separated, e.g. <c>mediation/accepted</c>.</summary>
    public required string Key { get; set; }

    /// <summary><c>zh-CN</c>, <c>en</c>…</summary>
    public required string Locale { get; set; }

    public int Version { get; set; }

    public required string Text { get; set; }

    /// <summary>SHA-256 of the text, hex.</summary>
    public required string ContentHash { get; set; }

    /// <summary><c>shipped</c> (imported from <c>templates/</c>) or <c>staff</c> (written here).</summary>
    public required string Source { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A day an administrator changed in the working calendar: made a day off or a working day, for every unit
/// (<see cref="OrgUnitId"/> empty) or for one unit and the units below it (a village's local festival).
/// </summary>
public sealed class CalendarDay
{
    /// <summary>Empty for every unit.</summary>
    public required string OrgUnitId { get; set; }

    public DateOnly Date { get; set; }

    /// <summary><c>off</c> or <c>work</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>Why, e.g. the festival's name or the notice.</summary>
    public required string Name { get; set; }

    public required string ChangedBy { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>A request to move a task's deadline later, with its reason and what became of it.</summary>
public sealed class DeadlineExtension
{
    public required string Id { get; set; }

    public required string TaskId { get; set; }

    public required string InstanceId { get; set; }

    /// <summary>The case's scope (org unit path): supervisors at or above it decide.</summary>
    public required string Scope { get; set; }

    public required string RequestedBy { get; set; }

    /// <summary>The duration asked for, as JSON (<c>"P3D"</c> or <c>{"workingDays": 2}</c>).</summary>
    public required string By { get; set; }

    public required string Reason { get; set; }

    /// <summary><c>applied</c> (no approval needed), <c>pending</c>, <c>approved</c> or <c>rejected</c>.</summary>
    public required string Status { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A message in a person's in-app inbox.</summary>
public sealed class InboxMessage
{
    public required string Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>What it is about, for filters and icons, e.g. <c>shipped-workflow-kept</c>.</summary>
    public required string Kind { get; set; }

    public required string Title { get; set; }

    public required string Body { get; set; }

    /// <summary>Where in Yishi it points, e.g. <c>/api/definitions/mediation</c>.</summary>
    public string? Link { get; set; }

    /// <summary>Sending the same notice twice (say, at every restart) leaves one message: unique per user.</summary>
    public required string DedupKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>A key an integrator's system calls the API with. Only a hash of the secret is stored.</summary>
public sealed class ApiKey
{
    /// <summary>The public part of the key (<c>yk_&lt;id&gt;_&lt;secret&gt;</c>).</summary>
    public required string Id { get; set; }

    public required string Name { get; set; }

    /// <summary>SHA-256 of the secret, hex.</summary>
    public required string SecretHash { get; set; }

    /// <summary>The org unit the key acts in (and below).</summary>
    public required string OrgUnitId { get; set; }

    /// <summary>What the key may do, comma-separated (see <c>ApiKeyPermissions</c>).</summary>
    public required string Permissions { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>The first answer to a request sent with an <c>Idempotency-Key</c>, replayed for repeats.</summary>
public sealed class IdempotentRequest
{
    /// <summary>Caller + key: two callers' keys never collide.</summary>
    public required string Id { get; set; }

    /// <summary>Method and path of the first request; a repeat with another target is refused.</summary>
    public required string Target { get; set; }

    public int StatusCode { get; set; }

    public required string Body { get; set; }

    public string? Location { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
