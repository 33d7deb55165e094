using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Validation;

public sealed class ValidatorProblemTests
{
    private const string Start = """{ "id": "start", "type": "Start" }""";
    private const string End = """{ "id": "end", "type": "End" }""";

    [Fact]
    public void Validate_UnknownActivityType_IsLocatedOnTheType()
    {
        var json = DefinitionCheck.Document($$"""{{Start}}, { "id": "mystery", "type": "Teleport" }, {{End}}""",
            """{ "from": "start", "to": "mystery" }, { "from": "mystery", "to": "end" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.UnknownActivityType);

        Assert.Equal(("mystery", "/activities/1/type"), (problem.ActivityId, problem.Path));
        Assert.Equal(TextPosition.Of(json, "\"Teleport\""), problem.Position);
        Assert.Contains("HumanTask", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DanglingConnection_IsLocatedOnTheMissingEnd()
    {
        var json = DefinitionCheck.Document($"{Start}, {End}", """{ "from": "start", "to": "end" }, { "from": "start", "to": "nowhere" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.DanglingConnection);

        Assert.Equal("/connections/1/to", problem.Path);
        Assert.Equal(TextPosition.Of(json, "\"nowhere\""), problem.Position);
    }

    [Fact]
    public void Validate_ConnectionIntoStart_IsDangling()
    {
        var json = DefinitionCheck.Document($"{Start}, {End}", """{ "from": "start", "to": "end" }, { "from": "end", "to": "start" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.DanglingConnection);

        Assert.Equal(("start", "/connections/1/to"), (problem.ActivityId, problem.Path));
    }

    [Fact]
    public void Validate_DuplicateConnection_IsLocatedOnTheSecondOne()
    {
        var json = DefinitionCheck.Document($"{Start}, {End}", """{ "from": "start", "to": "end" }, { "from": "start", "to": "end", "outcome": "done" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.DuplicateConnection);

        Assert.Equal(("start", "/connections/1"), (problem.ActivityId, problem.Path));
        Assert.Equal(TextPosition.Of(json, "{ \"from\": \"start\"", occurrence: 2), problem.Position);
    }

    [Fact]
    public void Validate_UnknownOutcome_IsLocatedOnTheOutcome()
    {
        var json = DefinitionCheck.Document(
            $$"""{{Start}}, { "id": "review", "type": "HumanTask", "properties": { "title": "Review", "assignee": { "role": "clerk" }, "outcomes": ["approve"] } }, {{End}}""",
            """{ "from": "start", "to": "review" }, { "from": "review", "outcome": "aprove", "to": "end" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.UnknownOutcome);

        Assert.Equal(("review", "/connections/1/outcome"), (problem.ActivityId, problem.Path));
        Assert.Equal(TextPosition.Of(json, "\"aprove\""), problem.Position);
        Assert.Contains("approve", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ConnectionWithoutOutcomeFromDecision_IsUnknownOutcomeDone()
    {
        var json = DefinitionCheck.Document(
            $$"""{{Start}}, { "id": "check", "type": "Decision", "properties": { "condition": "true" } }, {{End}}""",
            """{ "from": "start", "to": "check" }, { "from": "check", "to": "end" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.UnknownOutcome);

        Assert.Equal("/connections/1", problem.Path);
        Assert.Contains("'done'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnreachableActivity_IsLocatedOnTheActivity()
    {
        var json = DefinitionCheck.Document($$"""{{Start}}, {{End}}, { "id": "island", "type": "End" }""", """{ "from": "start", "to": "end" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.Unreachable);

        Assert.Equal(("island", "/activities/2"), (problem.ActivityId, problem.Path));
        Assert.Equal(TextPosition.Of(json, "{ \"id\": \"island\""), problem.Position);
    }

    [Fact]
    public void Validate_NoStart_IsLocatedOnTheActivityList()
    {
        var json = DefinitionCheck.Document(End, "");

        var problem = DefinitionCheck.Single(json, ProblemCodes.NoStart);

        Assert.Equal("/activities", problem.Path);
        Assert.Equal(TextPosition.Of(json, "\"activities\""), problem.Position);
    }

    [Fact]
    public void Validate_TwoStarts_ReportsTheSecond()
    {
        var json = DefinitionCheck.Document($$"""{{Start}}, { "id": "start2", "type": "Start" }, {{End}}""", """{ "from": "start", "to": "end" }, { "from": "start2", "to": "end" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.MultipleStarts);

        Assert.Equal(("start2", "/activities/1"), (problem.ActivityId, problem.Path));
    }

    [Fact]
    public void Validate_MissingRequiredProperty_NamesTheProperty()
    {
        var json = DefinitionCheck.Document(
            $$"""{{Start}}, { "id": "review", "type": "HumanTask", "properties": { "assignee": { "role": "clerk" } } }, {{End}}""",
            """{ "from": "start", "to": "review" }, { "from": "review", "to": "end" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.MissingProperty);

        Assert.Equal(("review", "title"), (problem.ActivityId, problem.Property));
        Assert.Equal("/activities/1/properties/title", problem.Path);
        // The property is not there: the position is that of the nearest part that is, the activity's properties.
        Assert.Equal(TextPosition.Of(json, "\"properties\": { \"assignee\""), problem.Position);
    }

    [Fact]
    public void Validate_InvalidPropertyValue_IsLocatedOnTheValue()
    {
        var json = DefinitionCheck.Document(
            $$"""{{Start}}, { "id": "wait", "type": "Delay", "properties": { "duration": "three days" } }, {{End}}""",
            """{ "from": "start", "to": "wait" }, { "from": "wait", "to": "end" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.InvalidProperty);

        Assert.Equal(("wait", "duration", "/activities/1/properties/duration"), (problem.ActivityId, problem.Property, problem.Path));
        Assert.Equal(TextPosition.Of(json, "\"three days\""), problem.Position);
    }

    [Fact]
    public void Validate_ExpressionSyntaxError_HasPositionInFileAndInExpression()
    {
        var json = DefinitionCheck.Document(
            $$"""{{Start}}, { "id": "check", "type": "Decision", "properties": { "condition": "amount >" } }, {{End}}""",
            """{ "from": "start", "to": "check" }, { "from": "check", "outcome": "true", "to": "end" }, { "from": "check", "outcome": "false", "to": "end" }""",
            """[ { "name": "amount", "type": "number" } ]""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.ExpressionSyntax);

        Assert.Equal(("check", "condition", "/activities/1/properties/condition"), (problem.ActivityId, problem.Property, problem.Path));
        Assert.Equal(TextPosition.Of(json, "\"amount >\""), problem.Position);
        Assert.Equal(new SourcePosition(1, 9), problem.ExpressionPosition);
    }

    [Fact]
    public void Validate_UnknownVariableInExpression_PointsAtTheName()
    {
        var json = DefinitionCheck.Document(
            $$"""{{Start}}, { "id": "check", "type": "Decision", "properties": { "condition": "amount > limt" } }, {{End}}""",
            """{ "from": "start", "to": "check" }, { "from": "check", "outcome": "true", "to": "end" }, { "from": "check", "outcome": "false", "to": "end" }""",
            """[ { "name": "amount", "type": "number" }, { "name": "limit", "type": "number" } ]""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.UnknownVariable);

        Assert.Equal(("check", "condition"), (problem.ActivityId, problem.Property));
        Assert.Equal(new SourcePosition(1, 10), problem.ExpressionPosition);
        Assert.Contains("'limt'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("activities.review.outcome == \"approve\"")]
    [InlineData("({ total: amount, big: amount > 10 }).big")]
    [InlineData("[1, 2, 3] | array.size > amount")]
    [InlineData("instance.correlation_key != null && input.amount == amount")]
    [InlineData("x = amount * 2; x > 10")]
    [InlineData("date.add_days now 3 > now")]
    public void Validate_MemberNamesObjectKeysAndLocals_AreNotVariables(string condition)
    {
        var json = DefinitionCheck.Document(
            $$"""{{Start}}, { "id": "check", "type": "Decision", "properties": { "condition": {{System.Text.Json.JsonSerializer.Serialize(condition)}} } }, {{End}}""",
            """{ "from": "start", "to": "check" }, { "from": "check", "outcome": "true", "to": "end" }, { "from": "check", "outcome": "false", "to": "end" }""",
            """[ { "name": "amount", "type": "number" } ]""");

        var problems = DefinitionCheck.Problems(json);

        Assert.DoesNotContain(problems, p => p.IsError);
    }

    [Fact]
    public void Validate_SubWorkflowInputNotAnExpression_IsAnError()
    {
        var json = DefinitionCheck.Document(
            $$"""{{Start}}, { "id": "child", "type": "SubWorkflow", "properties": { "definitionId": "other", "input": { "x": 5 } } }, {{End}}""",
            """{ "from": "start", "to": "child" }, { "from": "child", "to": "end" }, { "from": "child", "outcome": "cancelled", "to": "end" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.InvalidProperty);

        Assert.Equal(("child", "input"), (problem.ActivityId, problem.Property));
    }

    [Fact]
    public void Validate_EveryProblemOfABrokenDefinition_IsReportedAtOnce()
    {
        var json = DefinitionCheck.Document(
            """{ "id": "a", "type": "Teleport" }, { "id": "b", "type": "Decision", "properties": {} }""",
            """{ "from": "a", "to": "zzz" }""");

        var codes = DefinitionCheck.Problems(json).Where(p => p.IsError).Select(p => p.Code).ToHashSet();

        Assert.Superset(new HashSet<string> { ProblemCodes.UnknownActivityType, ProblemCodes.MissingProperty, ProblemCodes.NoStart, ProblemCodes.DanglingConnection }, codes);
    }
}
