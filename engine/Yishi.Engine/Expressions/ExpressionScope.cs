using System.Text.Json.Nodes;

namespace Yishi.Engine.Expressions;

/// <summary>
/// What an expression can see: the instance's variables by name, plus <c>input</c> (the start input or the
/// data a resume brought), <c>activities</c> (each finished activity's output, e.g. <c>activities.review.outcome</c>),
/// <c>instance</c> (id, definition, correlation key) and <c>now</c> (the engine's clock, never the wall clock,
/// so a rehearsal on a fast-forwarded clock behaves as it will in production).
/// </summary>
public sealed record ExpressionScope(JsonObject Variables, JsonNode? Input, JsonObject? Activities, JsonObject? Instance, DateTimeOffset Now)
{
    /// <summary>Names that are always available besides declared variables.</summary>
    public static readonly IReadOnlySet<string> ReservedNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "input", "activities", "instance", "now",
    };
}
