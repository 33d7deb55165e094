using Yishi.Engine.Activities;
using Yishi.Engine.Runtime;
using Yishi.Server.Identity;

namespace Yishi.Server.Activities;

/// <summary>Activity metadata: the designer builds its palette and property panels from it.</summary>
internal static class ActivityEndpoints
{
    public static IEndpointRouteBuilder MapActivityEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/activities", (WorkflowRuntime runtime) => TypedResults.Ok<IReadOnlyList<ActivityDescriptor>>(runtime.Registry.Descriptors))
            .RequireAuthorization(Policies.Staff).WithTags("Activities").WithName("ListActivities")
            .WithSummary("The activity types the engine knows, with their properties: the designer's palette.");
        return app;
    }
}
