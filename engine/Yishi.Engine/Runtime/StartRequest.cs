using System.Text.Json.Nodes;
using Yishi.Engine.Activities;
using Yishi.Engine.Execution;

namespace Yishi.Engine.Runtime;

/// <summary>Starts an instance of the newest published version (or of <paramref name="Version"/>).</summary>
/// <param name="DefinitionId">The workflow.</param>
/// <param name="Input">Values for declared variables.</param>
/// <param name="CorrelationKey">A business key, e.g. a hotline ticket number.</param>
/// <param name="Actor">Who starts it; the system when null.</param>
/// <param name="Version">A specific published version.</param>
/// <param name="Scope">Who the instance belongs to (see <see cref="Instances.WorkflowInstance.Scope"/>).</param>
public sealed record StartRequest(string DefinitionId, JsonObject? Input = null, string? CorrelationKey = null, Actor? Actor = null, int? Version = null, string? Scope = null);

/// <summary>Resumes a bookmark.</summary>
/// <param name="BookmarkId">The bookmark.</param>
/// <param name="Input">The outcome chosen and the data given.</param>
/// <param name="Actor">Who acts; checked against the bookmark's role or user.</param>
public sealed record ResumeRequest(string BookmarkId, ResumeInput Input, Actor Actor);
