using System.Security.Claims;
using Yishi.Server.Identity;

namespace Yishi.Server.Consultations;

/// <summary>
/// Who sees and who moderates a consultation. Residents take part in the consultations of their own org unit and of
/// the units above it (a street's consultation reaches every community in it); staff also see those of the units
/// below theirs, and moderate only those (admins everywhere). Anything else answers as if it did not exist.
/// </summary>
internal static class ConsultationAccess
{
    /// <summary>The user's org path (<c>/s1/c1/c1-g1/</c>), or null when they belong to no unit.</summary>
    public static string? OrgPath(this ClaimsPrincipal user) => user.FindFirstValue(YishiClaims.OrgPath) is { Length: > 0 } path ? path : null;

    /// <summary><c>/s1/c1/g1/</c> → <c>/s1/</c>, <c>/s1/c1/</c>, <c>/s1/c1/g1/</c>: the unit and every unit above it.</summary>
    public static string[] UnitsUp(string path)
    {
        var units = new List<string>();
        for (var slash = path.IndexOf('/', 1); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            units.Add(path[..(slash + 1)]);
        }

        return [.. units];
    }

    public static bool IsStaff(this ClaimsPrincipal user) => Roles.Staff.Any(user.IsInRole);

    /// <summary>Residents give opinions, report and evaluate; staff moderate instead.</summary>
    public static bool TakesPart(this ClaimsPrincipal user) => user.IsInRole(Roles.Resident);

    public static bool MaySee(this ClaimsPrincipal user, Consultation consultation) => user.MaySeeScope(consultation.Scope);

    /// <summary>
    /// Whether something residents take part in, published for <paramref name="scope"/>, is the user's: residents of the
    /// unit and the units below it, staff of those and of the units above (admins everywhere).
    /// </summary>
    public static bool MaySeeScope(this ClaimsPrincipal user, string? scope) =>
        user.IsInRole(Roles.Admin)
        || (scope is not null && user.OrgPath() is { } path
            && (path.StartsWith(scope, StringComparison.Ordinal) || (user.IsStaff() && scope.StartsWith(path, StringComparison.Ordinal))));

    public static bool MayModerate(this ClaimsPrincipal user, Consultation consultation) => user.IsStaff() && user.ToActor().Reaches(consultation.Scope);

    /// <summary>The consultations <see cref="MaySee"/> allows, as a query.</summary>
    public static IQueryable<Consultation> VisibleTo(this IQueryable<Consultation> rows, ClaimsPrincipal user)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return rows;
        }

        if (user.OrgPath() is not { } path)
        {
            return rows.Where(c => false);
        }

        var above = UnitsUp(path);
        var length = path.Length;
        return user.IsStaff()
            ? rows.Where(c => c.Scope != null && (above.Contains(c.Scope) || c.Scope.Substring(0, length) == path))
            : rows.Where(c => c.Scope != null && above.Contains(c.Scope));
    }
}
