namespace Yishi.Server.Identity;

/// <summary>The <c>Yishi:OneTimeCodes</c> configuration section: codes sent by SMS to sign in or reset a password.</summary>
public sealed class OneTimeCodeOptions
{
    /// <summary>How long a code works.</summary>
    public int Minutes { get; set; } = 5;

    /// <summary>
    /// The server secret the codes are hashed with. Set it (the same on every node, kept outside the database) so a
    /// copy of the database alone cannot try the million possible codes against the hashes; without it a random
    /// secret is kept in the database, which still keeps codes out of the table, backups and query logs.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Wrong tries after which a code is dead.</summary>
    public const int MaxAttempts = 5;

    /// <summary>A phone gets one code a minute…</summary>
    public static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(60);

    /// <summary>…and at most <see cref="PerWindow"/> codes in this window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>Codes a phone may be sent in <see cref="Window"/>.</summary>
    public const int PerWindow = 5;

    /// <summary>The lifetime, at least a minute whatever the setting says.</summary>
    public TimeSpan Lifetime => TimeSpan.FromMinutes(Math.Max(1, Minutes));
}

/// <summary>Adds one-time codes.</summary>
internal static class OneTimeCodeRegistration
{
    public static IServiceCollection AddOneTimeCodes(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OneTimeCodeOptions>(configuration.GetSection("Yishi:OneTimeCodes"));
        services.AddSingleton<OneTimeCodeKey>();
        services.AddScoped<OneTimeCodes>();
        // Scoped, not singleton: the SMS gateway is a typed HttpClient, which must not be held for the process's life.
        services.AddScoped<OneTimeCodeSms>();
        return services;
    }
}
