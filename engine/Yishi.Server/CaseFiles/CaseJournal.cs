using System.Security.Claims;
using System.Text.Json.Nodes;
using Yishi.Engine.Runtime;
using Yishi.Server.Identity;

namespace Yishi.Server.CaseFiles;

/// <summary>
/// Writes what staff did to a case file (a party linked, its details changed, a record added) into the case's journal, so
/// the journal and the timeline tell the whole story. The note carries ids and field names, never the values written.
/// </summary>
internal sealed partial class CaseJournal(WorkflowRuntime runtime, ILogger<CaseJournal> logger)
{
    /// <summary>
    /// Notes <paramref name="data"/> (with its <c>what</c>) on the case. The change itself is already saved, in the server's
    /// tables, which a journal commit cannot join: a note that cannot be written is logged and the change stands.
    /// </summary>
    public async Task NoteAsync(string instanceId, string message, JsonObject data, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await runtime.NoteAsync(instanceId, message, data, user.ToActor(), cancellationToken);
        if (!result.Succeeded)
        {
            NoteLost(logger, instanceId, data["what"]?.GetValue<string>() ?? "", result.Status.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {InstanceId}: a {What} change was saved, but its journal note was not ({Status})")]
    private static partial void NoteLost(ILogger logger, string instanceId, string what, string status);
}
