using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Activities;

/// <summary>What an activity did when it ran or resumed.</summary>
public abstract record ActivityResult
{
    private protected ActivityResult()
    {
    }

    /// <summary>Finished; tokens leave by each of these outcomes. <paramref name="Output"/> is kept as <c>activities.&lt;id&gt;</c>.</summary>
    public sealed record Completed(ImmutableArray<string> Outcomes, JsonObject? Output = null) : ActivityResult;

    /// <summary>Waits on a bookmark.</summary>
    public sealed record Suspended(BookmarkRequest Bookmark) : ActivityResult;

    /// <summary>Failed: the instance gets an incident.</summary>
    public sealed record Faulted(string Message, string? Property = null, SourcePosition? ExpressionPosition = null) : ActivityResult;

    /// <summary>Ends the whole instance with a result, withdrawing every other branch.</summary>
    public sealed record Ended(JsonNode? Result) : ActivityResult;

    /// <summary>Starts a child instance and waits for it.</summary>
    public sealed record StartChild(string DefinitionId, JsonObject Input) : ActivityResult;

    /// <summary>Completes by one outcome.</summary>
    public static Completed Done(string outcome = Definitions.ConnectionDefinition.DefaultOutcome, JsonObject? output = null) => new([outcome], output);
}
