using System.Text.Json.Nodes;
using Yishi.Designer.Api;
using Yishi.Designer.Canvas;

namespace Yishi.Designer.Tests.Canvas;

/// <summary>The path lit on the canvas, read from a journal: outcomes taken, activities reached, where the case waits.</summary>
public sealed class RunPathTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly JsonArray Connections = JsonNode.Parse("""
        [ { "from": "start", "to": "review" }, { "from": "review", "outcome": "accept", "to": "talk" },
          { "from": "review", "outcome": "decline", "to": "end" }, { "from": "talk", "outcome": "again", "to": "review" },
          { "from": "talk", "outcome": "agreed", "to": "end" } ]
        """)!.AsArray();

    private static JournalLine Line(long sequence, string kind, string activity, string? outcome = null) =>
        new(sequence, At.AddMinutes(sequence), kind, activity, null, outcome, "system", null);

    [Fact]
    public void AcceptedThenWaiting_LightsTheWayTaken_NotTheOtherBranch_AndFramesTheWait()
    {
        var journal = new[]
        {
            Line(0, "ActivityCompleted", "start", "done"), Line(1, "BookmarkCreated", "review"), Line(2, "BookmarkResumed", "review", "accept"),
            Line(3, "ActivityCompleted", "review", "accept"), Line(4, "BookmarkCreated", "talk"),
        };

        var path = RunPath.Of(Connections, journal, ["talk"]);

        Assert.Equal(["review", "start", "talk"], path.Visited.Order(StringComparer.Ordinal));
        Assert.Equal(["review/accept/talk", "start/done/review"], path.Taken.Order(StringComparer.Ordinal));
        Assert.Equal(["talk"], path.Current);
    }

    [Fact]
    public void ALoopBack_CountsOnceTaken_ButAnOutcomeWhoseTargetWasOnlyReachedBefore_DoesNot()
    {
        var journal = new[]
        {
            Line(0, "ActivityCompleted", "start", "done"), Line(1, "ActivityCompleted", "review", "accept"), Line(2, "ActivityCompleted", "talk", "again"),
            Line(3, "BookmarkCreated", "review"),
        };

        var looped = RunPath.Of(Connections, journal, ["review"]);
        var notYet = RunPath.Of(Connections, journal[..2], []);

        Assert.Contains("talk/again/review", looped.Taken);
        Assert.DoesNotContain("talk/agreed/end", looped.Taken);
        Assert.DoesNotContain("review/accept/talk", notYet.Taken);
    }
}
