namespace Yishi.Server.Audit;

/// <summary>Adds the audit chain.</summary>
internal static class AuditRegistration
{
    /// <summary>One <see cref="AuditLog"/> per process: its lock is what keeps this process's appends serial.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddSingleton<AuditLog>();
}
