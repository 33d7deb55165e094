namespace Yishi.Server.Proposals;

/// <summary>Adds residents' proposals and co-signing: the loop that publishes, lapses and passes decisions on.</summary>
internal static class ProposalRegistration
{
    public static IServiceCollection AddProposals(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ProposalOptions>(configuration.GetSection("Yishi:Proposals"));
        services.AddSingleton<ProposalKeeper>();
        services.AddHostedService<ProposalService>();
        return services;
    }
}
