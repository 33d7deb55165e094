using System.Text.Json.Nodes;
using Yishi.Designer.Canvas;

namespace Yishi.Designer.Tests.Canvas;

/// <summary>The visual diff's model: activities matched by id, properties compared by value, positions ignored.</summary>
public sealed class DefinitionDiffTests
{
    private static JsonObject Version(string activities, string connections, string layout = "{}") => JsonNode.Parse($$"""
        { "definitionId": "d", "activities": {{activities}}, "connections": {{connections}}, "layout": {{layout}} }
        """)!.AsObject();

    [Fact]
    public void AddedRemovedAndChangedActivities_AndConnections_AreNamed()
    {
        var older = Version("""[ { "id": "start", "type": "Start" }, { "id": "review", "type": "HumanTask", "properties": { "title": "审查", "due": { "workingDays": 3 } } }, { "id": "old", "type": "End" } ]""",
            """[ { "from": "start", "to": "review" }, { "from": "review", "outcome": "accept", "to": "old" } ]""");
        var newer = Version("""[ { "id": "start", "type": "Start" }, { "id": "review", "type": "HumanTask", "properties": { "title": "审查", "due": { "workingDays": 2 } } }, { "id": "done", "type": "End" } ]""",
            """[ { "from": "start", "to": "review" }, { "from": "review", "outcome": "accept", "to": "done" } ]""");

        var diff = DefinitionDiff.Compare(older, newer);

        Assert.Equal(["done"], diff.Added);
        Assert.Equal(["old"], diff.Removed);
        Assert.Equal(["due"], diff.Changed["review"]);
        Assert.False(diff.Changed.ContainsKey("start"));
        Assert.Equal(["review/accept/done"], diff.AddedConnections);
        Assert.Equal(["review/accept/old"], diff.RemovedConnections);
    }

    [Fact]
    public void MovingAnActivity_IsNotAChange()
    {
        var older = Version("""[ { "id": "start", "type": "Start" } ]""", "[]", """{ "start": { "x": 1, "y": 1 } }""");
        var newer = Version("""[ { "id": "start", "type": "Start" } ]""", "[]", """{ "start": { "x": 300, "y": 90 } }""");

        Assert.True(DefinitionDiff.Compare(older, newer).IsEmpty);
    }
}
