using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;
using Yishi.Server.Activities;
using Yishi.Server.Admin;
using Yishi.Server.Audit;
using Yishi.Server.Consultations;
using Yishi.Server.Proposals;
using Yishi.Server.Designer;
using Yishi.Server.Ballots;
using Yishi.Server.Definitions;
using Yishi.Server.Definitions.Migrations;
using Yishi.Server.Documents;
using Yishi.Server.Identity;
using Yishi.Server.Inbox;
using Yishi.Server.Instances;
using Yishi.Server.Messages;
using Yishi.Server.Notifications;
using Yishi.Server.Rehearsals;
using Yishi.Server.Residents;
using Yishi.Server.Sessions;
using Yishi.Server.Tasks;
using Yishi.Server.Templates;
using Yishi.Server.Timers;
using Yishi.Server.Transfers;

namespace Yishi.Server.Hosting;

/// <summary>The request pipeline and the map of endpoints.</summary>
internal static class ServerPipeline
{
    public static WebApplication UseYishiServer(this WebApplication app)
    {
        // Minimal APIs throw BadHttpRequestException for a body or query they cannot bind (in Development), and
        // Kestrel for a body over the size limit: those are the client's errors (400, 413), not the server's.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference("/api/reference").AllowAnonymous();
        }

        app.MapHealthChecks("/health", new HealthCheckOptions()).AllowAnonymous();
        app.MapAuthEndpoints();
        app.MapOneTimeCodeEndpoints();
        app.MapActivityEndpoints();
        app.MapDefinitionEndpoints();
        app.MapMigrationEndpoints();
        app.MapInstanceEndpoints();
        app.MapTaskEndpoints();
        app.MapExtensionEndpoints();
        app.MapMessageEndpoints();
        app.MapAdminEndpoints();
        app.MapStaffDirectoryEndpoints();
        app.MapResidentEndpoints();
        app.MapBallotEndpoints();
        app.MapTransferEndpoints();
        Dashboard.DashboardEndpoints.MapDashboardEndpoints(app);
        Workbench.WorkbenchEndpoints.MapWorkbenchEndpoints(app);
        app.MapTimelineEndpoint();
        CaseFiles.CaseFileEndpoints.MapCaseFileEndpoints(app);
        app.MapInboxEndpoints();
        app.MapTemplateEndpoints();
        app.MapDeliveryEndpoints();
        app.MapChannelEndpoints();
        app.MapPreferenceEndpoints();
        app.MapDocumentEndpoints();
        app.MapCalendarEndpoints();
        app.MapRehearsalEndpoints();
        app.MapAuditEndpoints();
        app.MapConsultationEndpoints();
        app.MapProposalEndpoints();
        app.MapSessionEndpoints();
        app.MapDesigner();
        Attachments.AttachmentEndpoints.MapAttachmentEndpoints(app);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
            {
                Console.WriteLine($"Yishi is listening on {url}");
            }
        });
        return app;
    }
}
