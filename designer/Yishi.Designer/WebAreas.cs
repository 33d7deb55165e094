namespace Yishi.Designer;

/// <summary>The parts of the web UI, by the first segment of their address, and who each is for.</summary>
public static class WebAreas
{
    public const string Designer = "designer";
    public const string Workbench = "workbench";
    public const string Dashboard = "dashboard";
    public const string Admin = "admin";
    public const string Portal = "me";

    /// <summary>Roles that open the workbench: those who work cases.</summary>
    public const string WorkbenchRoles = "admin,mediator,supervisor,reviewer,officer";

    /// <summary>Roles that open the dashboard: every staff role.</summary>
    public const string DashboardRoles = "admin,designer,mediator,supervisor,reviewer,officer";

    public const string DesignerRoles = "admin,designer";

    public const string AdminRoles = "admin";

    /// <summary>Roles that open the resident portal.</summary>
    public const string PortalRoles = "resident";

    /// <summary>Whether a base-relative address is a page of the resident portal.</summary>
    public static bool IsPortal(string relativePath) => FirstSegment(relativePath) == Portal;

    /// <summary>
    /// A safe place to go back to after signing in: a page of this site (never another host, which would make the
    /// sign-in an open redirect), or <paramref name="fallback"/>.
    /// </summary>
    public static string SafeReturn(string? returnUrl, string fallback)
    {
        if (string.IsNullOrEmpty(returnUrl))
        {
            return fallback;
        }

        var path = returnUrl.TrimStart('/');
        var local = !path.Contains("//", StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal) && !path.Contains(':', StringComparison.Ordinal);
        return local && FirstSegment(path) is Designer or Workbench or Dashboard or Admin or Portal ? path : fallback;
    }

    private static string FirstSegment(string relativePath)
    {
        var path = relativePath.TrimStart('/');
        var end = path.IndexOfAny(['/', '?', '#']);
        return end < 0 ? path : path[..end];
    }
}
