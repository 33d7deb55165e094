namespace Yishi.Server.Consultations;

/// <summary>Adds consultations: the loop that opens and closes them and passes summaries on.</summary>
internal static class ConsultationRegistration
{
    public static IServiceCollection AddConsultations(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ConsultationOptions>(configuration.GetSection("Yishi:Consultations"));
        services.AddSingleton<ConsultationOpener>();
        services.AddSingleton<ConsultationCloser>();
        services.AddSingleton<ConsultationSummaries>();
        services.AddHostedService<ConsultationService>();
        return services;
    }
}
