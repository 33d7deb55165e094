namespace Yishi.Server.Hosting;

/// <summary>The <c>Yishi</c> configuration section.</summary>
public sealed class ServerOptions
{
    /// <summary>Seeds demo org units and users (password <c>Demo123!</c>). On in Development, off otherwise.</summary>
    public bool DemoMode { get; set; }

    /// <summary>Where the shipped workflow definitions are read from at start-up.</summary>
    public string WorkflowsFolder { get; set; } = "workflows";

    /// <summary>Where the shipped message templates are read from at start-up.</summary>
    public string TemplatesFolder { get; set; } = "templates";

    /// <summary>The time zone working days and deadlines are counted in (IANA id).</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Lifetime of a bearer token.</summary>
    public int AccessTokenMinutes { get; set; } = 60;

    /// <summary>Password of the first <c>admin</c>, created at start-up when no admin exists (outside demo mode there is no default).</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxRequestBytes { get; set; } = 2 * 1024 * 1024;
}
