namespace Yishi.Designer.Api;

/// <summary>
/// How the designer reaches the server: an HTTP client on the server's own public API, signed in as the person using
/// this designer. The designer is an API client like any integrator, so every rule the API enforces (org-unit scope,
/// validation, concurrent-edit detection, ProblemDetails) holds in the designer without a second copy.
/// </summary>
public interface IDesignerBackend
{
    /// <summary>A client whose base address is the API and which carries the signed-in user's credentials.</summary>
    Task<HttpClient> ClientAsync(CancellationToken cancellationToken);
}
