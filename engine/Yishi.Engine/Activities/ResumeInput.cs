using System.Text.Json.Nodes;

namespace Yishi.Engine.Activities;

/// <summary>What a resume brings: the outcome a person chose (tasks) and data (form values, a message's payload).</summary>
/// <param name="Outcome">The chosen outcome, for activities that let the actor choose.</param>
/// <param name="Data">Form values or payload.</param>
public sealed record ResumeInput(string? Outcome = null, JsonObject? Data = null)
{
    /// <summary>No outcome, no data (timers).</summary>
    public static ResumeInput Empty { get; } = new();
}
