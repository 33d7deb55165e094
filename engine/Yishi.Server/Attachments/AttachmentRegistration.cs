namespace Yishi.Server.Attachments;

/// <summary>Adds case attachments: their settings, checked at start-up, and the store.</summary>
internal static class AttachmentRegistration
{
    public static IServiceCollection AddAttachments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AttachmentOptions>().Bind(configuration.GetSection(AttachmentOptions.SectionName))
            .Validate(o => o.MaxBytes > 0, "Yishi:Attachments:MaxBytes must be a number of bytes above 0.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Folder), "Yishi:Attachments:Folder must name a folder.")
            // A type the server cannot check by its first bytes would let anything in under its name.
            .Validate(o => o.EffectiveAllowedTypes.All(t => AttachmentTypes.Find(t) is not null),
                "Yishi:Attachments:AllowedTypes names a type the server cannot check. Known: " + string.Join(", ", AttachmentTypes.Known.Select(t => t.Extension)) + ".")
            .ValidateOnStart();
        services.AddSingleton<AttachmentStore>();
        return services;
    }
}
