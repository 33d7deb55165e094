using Yishi.Engine.Notifications.Channels;
using Yishi.Engine.Notifications.Documents;
using Yishi.Engine.Notifications.Templates;
using Yishi.Server.Hosting;

namespace Yishi.Server.Notifications;

/// <summary>Adds notifications and documents: templates, channels, the planner, the dispatcher, the digest and the PDF printer.</summary>
internal static class NotificationRegistration
{
    public static IServiceCollection AddYishiNotifications(this IServiceCollection services, IConfiguration configuration, string contentRoot, ServerOptions server)
    {
        services.Configure<NotificationOptions>(configuration.GetSection("Yishi:Notifications"));
        services.Configure<EmailOptions>(configuration.GetSection("Yishi:Email"));
        services.Configure<ChromiumOptions>(configuration.GetSection(ChromiumOptions.SectionName));
        var templatesFolder = RepositoryPaths.Resolve(contentRoot, server.TemplatesFolder);
        services.AddSingleton(new TemplateRenderer(new TemplateSandbox(), new TemplateIncludes(templatesFolder)));
        services.AddSingleton<TemplateCatalog>();
        services.AddSingleton<CaseTemplateData>();
        services.AddSingleton<TemplateReferences>();
        services.AddScoped<Recipients>();
        services.AddSingleton<NotificationPlanner>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddSingleton<DailyDigest>();
        services.AddSingleton<EmailSender>();
        services.AddSingleton<IPdfPrinter, ChromiumPdfPrinter>();
        services.AddSingleton<Documents.DocumentWriter>();

        // Without a gateway URL, SMS deliveries wait (and reach the dead-letter list) instead of going nowhere.
        var sms = configuration.GetSection("Yishi:Sms");
        if (!string.IsNullOrWhiteSpace(sms["Url"]))
        {
            services.Configure<SmsGatewayOptions>(sms);
            services.AddHttpClient<ISmsGateway, HttpSmsGateway>();
        }

        services.AddHostedService<NotificationService>();
        return services;
    }
}
