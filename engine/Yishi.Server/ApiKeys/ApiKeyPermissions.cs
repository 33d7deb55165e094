namespace Yishi.Server.ApiKeys;

/// <summary>What an API key may do. Integrators (a 12345 hotline system, say) start cases, read them and report back.</summary>
public static class ApiKeyPermissions
{
    public const string StartInstances = "instances:start";
    public const string ReadInstances = "instances:read";
    public const string PublishMessages = "messages:publish";

    public static readonly string[] All = [StartInstances, ReadInstances, PublishMessages];

    /// <summary>The claim that carries one permission.</summary>
    public const string ClaimType = "yishi:permission";
}
