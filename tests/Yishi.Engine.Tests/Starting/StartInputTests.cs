using System.Text.Json.Nodes;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Starting;

public sealed class StartInputTests
{
    private const string Intake = """
        {
          "definitionId": "intake",
          "name": "Case intake",
          "variables": [
            { "name": "caseNo", "type": "string", "required": true },
            { "name": "parties", "type": "number", "default": 2 },
            { "name": "urgent", "type": "boolean" },
            { "name": "filedAt", "type": "datetime" },
            { "name": "applicant", "type": "object", "personal": true },
            { "name": "tags", "type": "array" }
          ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "triage", "type": "HumanTask", "properties": { "title": "Triage", "assignee": { "role": "clerk" } } },
            { "id": "end", "type": "End" }
          ],
          "connections": [ { "from": "start", "to": "triage" }, { "from": "triage", "to": "end" } ]
        }
        """;

    [Theory]
    [InlineData("""{ "caseNo": "C-1", "colour": "red" }""", "colour", ProblemCodes.InputUnknown)]
    [InlineData("""{ "caseNo": 17 }""", "caseNo", ProblemCodes.InputWrongType)]
    [InlineData("""{ "caseNo": "C-1", "parties": "two" }""", "parties", ProblemCodes.InputWrongType)]
    [InlineData("""{ "caseNo": "C-1", "urgent": "yes" }""", "urgent", ProblemCodes.InputWrongType)]
    [InlineData("""{ "caseNo": "C-1", "filedAt": "last Tuesday" }""", "filedAt", ProblemCodes.InputWrongType)]
    [InlineData("""{ "caseNo": "C-1", "applicant": "Wang" }""", "applicant", ProblemCodes.InputWrongType)]
    [InlineData("""{ "caseNo": "C-1", "tags": "a,b" }""", "tags", ProblemCodes.InputWrongType)]
    [InlineData("""{ "parties": 3 }""", "caseNo", ProblemCodes.InputMissing)]
    [InlineData("""{ "caseNo": null }""", "caseNo", ProblemCodes.InputMissing)]
    public async Task Start_InputNotFittingVariables_ReturnsInvalidInputAndStoresNothing(string input, string variable, string code)
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Intake);

        var result = await engine.TryStartAsync("intake", Json.Object(input));

        Assert.Equal(StepStatus.InvalidInput, result.Status);
        var problem = Assert.Single(result.Problems);
        Assert.Equal((variable, code, ProblemSeverity.Error), (problem.Property, problem.Code, problem.Severity));
        Assert.Empty(await engine.Runtime.QueryInstancesAsync(new InstanceQuery(), TestEngine.Cancellation));
        Assert.Empty(await engine.Runtime.QueryBookmarksAsync(new BookmarkQuery(), TestEngine.Cancellation));
    }

    [Fact]
    public async Task Start_NoInputForRequiredVariable_ReturnsInvalidInput()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Intake);

        var result = await engine.TryStartAsync("intake");

        Assert.Equal(StepStatus.InvalidInput, result.Status);
        Assert.Equal("caseNo", Assert.Single(result.Problems).Property);
        Assert.Empty(await engine.Runtime.QueryInstancesAsync(new InstanceQuery(), TestEngine.Cancellation));
    }

    [Fact]
    public async Task Start_FittingInput_SetsVariablesAndDefaults()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Intake);

        var result = await engine.StartAsync("intake", Json.Object("""{ "caseNo": "C-1", "filedAt": "2025-03-01T08:00:00+08:00", "applicant": { "name": "Wang" }, "tags": ["noise"] }"""), correlationKey: "hotline-77");

        var instance = await engine.InstanceAsync(result.InstanceId!);
        Assert.Equal("C-1", instance.State.Variables["caseNo"]!.GetValue<string>());
        Assert.Equal(2, instance.State.Variables["parties"]!.GetValue<int>());
        Assert.Null(instance.State.Variables["urgent"]);
        Assert.Equal("hotline-77", instance.CorrelationKey);
        var listed = Assert.Single(await engine.Runtime.QueryInstancesAsync(new InstanceQuery { CorrelationKey = "hotline-77" }, TestEngine.Cancellation));
        Assert.Equal((result.InstanceId, InstanceStatus.Waiting, 1), (listed.Id, listed.Status, listed.DefinitionVersion));
    }

    [Fact]
    public async Task Start_InputBuiltInCode_IsReadByExpressions()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync("""
            {
              "definitionId": "typed",
              "name": "Input built in code",
              "variables": [ { "name": "amount", "type": "number" } ],
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "isLarge", "type": "Decision", "properties": { "condition": "amount > 100" } },
                { "id": "large", "type": "End", "properties": { "result": "\"large\"" } },
                { "id": "small", "type": "End", "properties": { "result": "\"small\"" } }
              ],
              "connections": [
                { "from": "start", "to": "isLarge" },
                { "from": "isLarge", "outcome": "true", "to": "large" },
                { "from": "isLarge", "outcome": "false", "to": "small" }
              ]
            }
            """);

        var result = await engine.StartAsync("typed", new JsonObject { ["amount"] = 250 });

        Assert.Equal(InstanceStatus.Completed, result.InstanceStatus);
        Assert.Equal("large", result.Result!.GetValue<string>());
    }

    [Fact]
    public async Task Start_DateTimeBuiltInCode_IsAccepted()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Intake);

        var result = await engine.TryStartAsync("intake", new JsonObject { ["caseNo"] = "C-2", ["filedAt"] = TestEngine.Epoch, ["parties"] = 3m });

        Assert.Equal(StepStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task Start_UnknownDefinition_ReturnsNotFound()
    {
        await using var engine = new TestEngine();

        var result = await engine.TryStartAsync("nothing-here");

        Assert.Equal(StepStatus.NotFound, result.Status);
    }
}
