using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Yishi.Designer;

/// <summary>The HTTP status of a portal page that refuses or finds nothing.</summary>
public static class PortalStatus
{
    /// <summary>
    /// Sets the status and keeps the page: the server's status-code pages would otherwise replace the page's words with
    /// an empty problem answer. A 404 becomes 403: a component page answering 404 is left without its body (the
    /// framework expects a not-found page to be re-executed), and for the portal both say the same — there is nothing
    /// here for you — without telling whether the thing exists.
    /// </summary>
    public static void Set(HttpContext context, int status)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status == StatusCodes.Status404NotFound ? StatusCodes.Status403Forbidden : status;
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
    }
}
