using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Privacy;
using Yishi.Engine.Runtime;
using Yishi.Server.CaseFiles;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Notifications;
using Yishi.Server.Problems;

namespace Yishi.Server.Instances;

/// <summary>
/// Linking people to a case as parties: users, so that residents can follow their own cases, and people without an
/// account, known by name and phone (they hear of the case by SMS).
/// </summary>
internal static class CasePartyEndpoints
{
    private const int MaxParties = 20;
    private const int MaxName = 100;

    /// <summary>A party to link: a user, or a person without an account (name and phone).</summary>
    /// <param name="UserId">The person's user id, when they have an account.</param>
    /// <param name="Role">Their part: lower-case letters and '-', e.g. <c>applicant</c>, <c>respondent</c>.</param>
    /// <param name="Name">The name of a person without an account (at most 100 characters).</param>
    /// <param name="Phone">The mainland mobile number of a person without an account: 11 digits, spaces and dashes ignored.</param>
    /// <param name="IdNumber">The resident ID number (18 characters with the GB 11643 check character), if recorded; for a user too.</param>
    public sealed record LinkParty(string? UserId, string Role, string? Name = null, string? Phone = null, string? IdNumber = null);

    /// <summary>A party as lists show them: name, phone and ID number masked.</summary>
    /// <param name="Id">The party's id in the case.</param>
    /// <param name="UserId">Their account; null for a person without one.</param>
    /// <param name="Role">Their part, e.g. <c>applicant</c>.</param>
    /// <param name="DisplayName">The name masked: the surname and stars.</param>
    /// <param name="Phone">The phone masked (<c>138****1234</c>): the one given, or a user's account's.</param>
    /// <param name="IdNumber">The ID number masked (its first and last characters), if recorded.</param>
    /// <param name="LinkedAt">When they were linked.</param>
    public sealed record PartyView(string Id, string? UserId, string Role, string DisplayName, string? Phone, string? IdNumber, DateTimeOffset LinkedAt);

    public static void MapCasePartyEndpoints(this RouteGroupBuilder instances) =>
        instances.MapPost("/{id}/parties", LinkOneAsync).RequireAuthorization(Policies.Staff).WithName("LinkParty")
            .WithSummary("Links a person to the case as a party, a user (userId) or a person without an account (name, phone): 201; 409 when already linked.")
            .Produces<PartyView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    /// <summary>The problem with a list of parties (every one, each at <c>/parties/{i}/{field}</c>), or null when all are valid.</summary>
    public static Task<IResult?> CheckAsync(IReadOnlyList<LinkParty> parties, ServerDbContext db, CancellationToken cancellationToken) =>
        CheckAsync(parties, "/parties", db, cancellationToken);

    private static async Task<IResult?> CheckAsync(IReadOnlyList<LinkParty> parties, string? listPath, ServerDbContext db, CancellationToken cancellationToken)
    {
        var problems = new FieldProblems();
        if (parties.Count > MaxParties)
        {
            problems.Add("parties", "too-many", $"A case has at most {MaxParties} parties.", listPath);
            return problems.ToResult("Too many parties");
        }

        string At(int index, string field) => listPath is null ? "/" + field : $"{listPath}/{index}/{field}";
        var userIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var phones = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parties.Count; i++)
        {
            var party = parties[i];
            if (party is null)
            {
                problems.Add("parties", "required", "Each party is an object: {\"userId\", \"role\"} or {\"name\", \"phone\", \"role\"}.", listPath is null ? "/" : $"{listPath}/{i}");
                continue;
            }

            if (!IsValidRole(party.Role))
            {
                problems.Add("role", "invalid-role", $"'{party.Role}' is not a party role: use 1 to 32 lower-case letters or '-', e.g. applicant.", At(i, "role"));
            }

            var contact = party.Name is not null || party.Phone is not null;
            if (!string.IsNullOrEmpty(party.UserId))
            {
                if (contact)
                {
                    problems.Add(party.Name is null ? "phone" : "name", "user-or-contact",
                        "A party is a user (userId) or a person without an account (name and phone), not both: a user's name and phone are on their account.",
                        At(i, party.Name is null ? "phone" : "name"));
                }
                else if (!userIds.TryAdd(party.UserId, i))
                {
                    problems.Add("userId", "linked-twice", "A person is linked to a case once.", At(i, "userId"));
                }
            }
            else if (!contact)
            {
                problems.Add("userId", "required", "Name the party: a userId, or a name and phone for a person without an account.", At(i, "userId"));
            }
            else
            {
                if (string.IsNullOrWhiteSpace(party.Name) || party.Name.Trim().Length > MaxName)
                {
                    problems.Add("name", "invalid-name", $"'name' is required for a person without an account (at most {MaxName} characters).", At(i, "name"));
                }

                if (PersonalNumbers.MobileNumber(party.Phone) is not { } phone)
                {
                    problems.Add("phone", "invalid-phone", "'phone' must be a mainland mobile number of 11 digits, e.g. 13800001234.", At(i, "phone"));
                }
                else if (!phones.Add(phone))
                {
                    problems.Add("phone", "linked-twice", "A person is linked to a case once: another party has the same phone.", At(i, "phone"));
                }
            }

            if (!string.IsNullOrWhiteSpace(party.IdNumber) && PersonalNumbers.IdNumber(party.IdNumber) is null)
            {
                problems.Add("idNumber", "invalid-id-number",
                    "'idNumber' must be a resident ID number of 18 characters: 17 digits and the GB 11643 check character (a digit or X).", At(i, "idNumber"));
            }
        }

        if (userIds.Count > 0)
        {
            var ids = userIds.Keys.ToList();
            var known = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => u.Id).ToListAsync(cancellationToken);
            foreach (var (unknown, index) in userIds.Where(u => !known.Contains(u.Key, StringComparer.Ordinal)))
            {
                problems.Add("userId", "unknown-user", $"There is no user '{unknown}'.", At(index, "userId"));
            }
        }

        return problems.Any ? problems.ToResult(parties.Count == 1 ? "The party is not valid" : "The parties are not valid") : null;
    }

    /// <summary>
    /// Links parties that <see cref="CheckAsync(IReadOnlyList{LinkParty}, ServerDbContext, CancellationToken)"/> found valid, without
    /// journal notes (the overload with the <see cref="CaseJournal"/> adds them).
    /// </summary>
    private static async Task<IReadOnlyList<CaseParty>> LinkAsync(string instanceId, IEnumerable<LinkParty> parties, ClaimsPrincipal user, ServerDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<CaseParty> linked = [.. parties.Select(p => NewParty(instanceId, p, user.UserId(), now))];
        db.CaseParties.AddRange(linked);
        await db.SaveChangesAsync(cancellationToken);
        return linked;
    }

    /// <summary>Links valid parties and notes each in the case's journal: its id, kind and role, and which fields were given.</summary>
    public static async Task<IReadOnlyList<CaseParty>> LinkAsync(string instanceId, IEnumerable<LinkParty> parties, ClaimsPrincipal user, ServerDbContext db,
        TimeProvider clock, CaseJournal journal, CancellationToken cancellationToken)
    {
        var linked = await LinkAsync(instanceId, parties, user, db, clock, cancellationToken);
        foreach (var party in linked)
        {
            await journal.NoteAsync(instanceId, $"Party linked: {party.Role}", Note(party), user, cancellationToken);
        }

        return linked;
    }

    /// <summary>The parties of a case, in the order they were linked, masked as every list shows them.</summary>
    public static async Task<IReadOnlyList<PartyView>> ListAsync(string instanceId, ServerDbContext db, CancellationToken cancellationToken)
    {
        var rows = await (from p in db.CaseParties.AsNoTracking()
                          where p.InstanceId == instanceId
                          join u in db.Users on p.UserId equals u.Id into accounts
                          from u in accounts.DefaultIfEmpty()
                          select new { Party = p, AccountName = u == null ? null : u.DisplayName, AccountPhone = u == null ? null : u.PhoneNumber })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Party.LinkedAt).ThenBy(r => r.Party.Id, StringComparer.Ordinal).Select(r => View(r.Party, r.AccountName, r.AccountPhone))];
    }

    private static PartyView View(CaseParty p, string? accountName, string? accountPhone) =>
        new(p.Id, p.UserId, p.Role, Masking.Name(p.Name ?? accountName ?? ""), Masking.Phone(p.Phone ?? accountPhone),
            p.IdNumber is null ? null : Masking.IdNumber(p.IdNumber), p.LinkedAt);

    private static async Task<IResult> LinkOneAsync(string id, LinkParty request, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, TimeProvider clock,
        CaseJournal journal, CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !user.ToActor().Reaches(instance.Scope))
        {
            return InstanceEndpoints.NotFound(id);
        }

        if (await CheckAsync([request], listPath: null, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        var userId = string.IsNullOrEmpty(request.UserId) ? null : request.UserId;
        var phone = PersonalNumbers.MobileNumber(request.Phone);
        var parties = db.CaseParties.Where(p => p.InstanceId == id);
        if (await (userId is null ? parties.AnyAsync(p => p.Phone == phone, cancellationToken) : parties.AnyAsync(p => p.UserId == userId, cancellationToken)))
        {
            return AlreadyLinked();
        }

        IReadOnlyList<CaseParty> linked;
        try
        {
            linked = await LinkAsync(id, [request], user, db, clock, journal, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two staff linking the same person at once: the unique index lets one in.
            return AlreadyLinked();
        }

        return TypedResults.Created($"/api/instances/{id}", (await ListAsync(id, db, cancellationToken)).First(p => p.Id == linked[0].Id));
    }

    private static CaseParty NewParty(string instanceId, LinkParty p, string linkedBy, DateTimeOffset now)
    {
        var userId = string.IsNullOrEmpty(p.UserId) ? null : p.UserId;
        return new CaseParty
        {
            Id = TimeOrderedId.Next(now),
            InstanceId = instanceId,
            UserId = userId,
            Name = userId is null ? p.Name?.Trim() : null,
            Phone = userId is null ? PersonalNumbers.MobileNumber(p.Phone) : null,
            IdNumber = PersonalNumbers.IdNumber(p.IdNumber),
            Role = p.Role,
            LinkedAt = now,
            LinkedBy = linkedBy,
        };
    }

    /// <summary>What the journal keeps of a party: ids, kind, role and the names of the fields given, never their values.</summary>
    private static JsonObject Note(CaseParty party)
    {
        var note = new JsonObject
        {
            ["what"] = "party",
            ["partyId"] = party.Id,
            ["kind"] = party.UserId is null ? "contact" : "user",
            ["role"] = party.Role,
        };
        if (party.UserId is not null)
        {
            note["userId"] = party.UserId;
        }

        (string Field, bool Given)[] fields = [("name", party.Name is not null), ("phone", party.Phone is not null), ("idNumber", party.IdNumber is not null)];
        note["fields"] = new JsonArray([.. fields.Where(f => f.Given).Select(f => (JsonNode)f.Field)]);
        return note;
    }

    private static IResult AlreadyLinked() => Problem.Of(409, "already-linked", "Conflict", "This person is already a party to the case.");

    private static bool IsValidRole(string? role) =>
        role is { Length: > 0 and <= 32 } && role.All(c => c is (>= 'a' and <= 'z') or '-');
}
