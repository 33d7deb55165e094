namespace Yishi.Server.Identity;

/// <summary>The roles of Yishi.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Designer = "designer";
    public const string Mediator = "mediator";
    public const string Supervisor = "supervisor";
    public const string Reviewer = "reviewer";
    public const string Officer = "officer";
    public const string Resident = "resident";

    public static readonly string[] All = [Admin, Designer, Mediator, Supervisor, Reviewer, Officer, Resident];

    /// <summary>Staff who work cases: everyone but residents.</summary>
    public static readonly string[] Staff = [Admin, Designer, Mediator, Supervisor, Reviewer, Officer];
}

/// <summary>Authorization policies, by who may do what.</summary>
public static class Policies
{
    /// <summary>Build and publish workflows.</summary>
    public const string Design = "design";

    /// <summary>Work cases: start, read, cancel, retry instances; see their journals.</summary>
    public const string Staff = "staff";

    /// <summary>Any signed-in user (tasks of their own, their profile).</summary>
    public const string SignedIn = "signed-in";

    /// <summary>Decide on escalations and deadline extensions: supervisors (and admins).</summary>
    public const string Supervise = "supervise";

    /// <summary>
    /// See a party's full name, phone and ID number, with a reason, audited: mediators and supervisors, who work the cases.
    /// Admins administer people and units, not cases, so they are left out (PIPL: the fewest people see personal data).
    /// </summary>
    public const string RevealParties = "reveal-parties";

    /// <summary>Run a ballot's paper side: ballot officers (and admins).</summary>
    public const string Officiate = "officiate";

    /// <summary>Users, roles, org units, API keys.</summary>
    public const string Admin = "admin";

    /// <summary>Start instances: staff, or an API key with <c>instances:start</c>.</summary>
    public const string StartInstances = "instances:start";

    /// <summary>Read instances: staff within their units, residents the cases they are party to, or an API key with <c>instances:read</c>.</summary>
    public const string ReadInstances = "instances:read";

    /// <summary>Publish messages: staff, or an API key with <c>messages:publish</c>.</summary>
    public const string PublishMessages = "messages:publish";
}

/// <summary>Claim types Yishi adds.</summary>
public static class YishiClaims
{
    public const string OrgUnit = "yishi:org_unit";

    /// <summary>
    /// The org unit's path (<c>/s1/c1/</c>), carried in the sign-in so checking a case's scope costs no lookup.
    /// A unit moved in the tree takes effect for a user at their next sign-in.
    /// </summary>
    public const string OrgPath = "yishi:org_path";
    public const string DisplayName = "yishi:display_name";
}
