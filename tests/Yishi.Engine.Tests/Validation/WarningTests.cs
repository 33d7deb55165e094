using Yishi.Engine.Definitions;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Validation;

public sealed class WarningTests
{
    [Fact]
    public async Task Publish_UnconnectedOutcome_WarnsButPublishes()
    {
        var json = DefinitionCheck.Document(
            """{ "id": "start", "type": "Start" }, { "id": "review", "type": "HumanTask", "properties": { "title": "Review", "assignee": { "role": "clerk" }, "outcomes": ["approve", "reject"] } }, { "id": "end", "type": "End" }""",
            """{ "from": "start", "to": "review" }, { "from": "review", "outcome": "approve", "to": "end" }""");
        await using var engine = new TestEngine();

        var result = await engine.Runtime.Definitions.PublishDocumentAsync(json, TestEngine.Cancellation);

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Problems, p => p.Code == ProblemCodes.UnconnectedOutcome);
        Assert.Equal((ProblemSeverity.Warning, "review", "/activities/1"), (warning.Severity, warning.ActivityId, warning.Path));
        Assert.Contains("'reject'", warning.Message, StringComparison.Ordinal);
        Assert.Equal(TextPosition.Of(json, "{ \"id\": \"review\""), warning.Position);
    }

    [Fact]
    public void Validate_CycleWithoutWait_Warns()
    {
        var json = DefinitionCheck.Document(
            """
            { "id": "start", "type": "Start" },
            { "id": "bump", "type": "SetVariable", "properties": { "variable": "n", "value": "n + 1" } },
            { "id": "again", "type": "Decision", "properties": { "condition": "n < 10" } },
            { "id": "end", "type": "End" }
            """,
            """{ "from": "start", "to": "bump" }, { "from": "bump", "to": "again" }, { "from": "again", "outcome": "true", "to": "bump" }, { "from": "again", "outcome": "false", "to": "end" }""",
            """[ { "name": "n", "type": "number", "default": 0 } ]""");

        var problems = DefinitionCheck.Problems(json);

        Assert.DoesNotContain(problems, p => p.IsError);
        var warning = Assert.Single(problems, p => p.Code == ProblemCodes.CycleWithoutWait);
        Assert.Equal((ProblemSeverity.Warning, "bump", "/activities/1"), (warning.Severity, warning.ActivityId, warning.Path));
        Assert.Contains("bump → again", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CycleThroughAHumanTask_DoesNotWarn()
    {
        var json = DefinitionCheck.Document(
            """
            { "id": "start", "type": "Start" },
            { "id": "visit", "type": "HumanTask", "properties": { "title": "Visit", "assignee": { "role": "clerk" }, "outcomes": ["again", "done"] } },
            { "id": "end", "type": "End" }
            """,
            """{ "from": "start", "to": "visit" }, { "from": "visit", "outcome": "again", "to": "visit" }, { "from": "visit", "outcome": "done", "to": "end" }""");

        Assert.DoesNotContain(DefinitionCheck.Problems(json), p => p.Code == ProblemCodes.CycleWithoutWait);
    }

    [Fact]
    public void Parse_ConnectionWithoutOutcome_LeavesByDone()
    {
        var json = DefinitionCheck.Document("""{ "id": "start", "type": "Start" }, { "id": "end", "type": "End" }""", """{ "from": "start", "to": "end" }""");

        var (definition, problems) = DefinitionCheck.Run(json);

        Assert.Empty(problems);
        Assert.Equal(new ConnectionDefinition("start", "end", "done"), Assert.Single(definition!.Connections));
    }

    [Fact]
    public void Parse_UnknownTopLevelField_WarnsWithPath()
    {
        var json = DefinitionFiles.Read("fork-join-all.json").Replace("\"name\"", "\"colour\": \"blue\",\n  \"name\"", StringComparison.Ordinal);

        var warning = DefinitionCheck.Single(json, ProblemCodes.UnknownField);

        Assert.False(warning.IsError);
        Assert.Equal("/colour", warning.Path);
        Assert.Equal(TextPosition.Of(json, "\"blue\""), warning.Position);
    }
}
