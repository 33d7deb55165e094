using System.Text.Json.Nodes;
using Yishi.Engine.Expressions;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Expressions;

/// <summary>
/// Expressions come from definitions staff write; none may hang, crash or escape the sandbox. Timeouts here are
/// hang guards only (a hung evaluation fails the test instead of the run); no assertion depends on elapsed time.
/// </summary>
public sealed class SandboxTests
{
    private const int HangGuard = 10_000;

    private static readonly ExpressionScope Scope = new(
        new JsonObject { ["amount"] = 250, ["name"] = "Wang" }, null, new JsonObject(), new JsonObject { ["id"] = "i-1" }, TestEngine.Epoch);

    private static Task<ExpressionResult> EvaluateAsync(string text, ExpressionEngine? engine = null) =>
        Task.Run(() => (engine ?? new ExpressionEngine()).Evaluate(text, Scope), TestEngine.Cancellation);

    [Theory(Timeout = HangGuard)]
    [InlineData("while true; end", "iteration limit")]
    [InlineData("i = 0; while i >= 0; i = i + 1; end", "iteration limit")]
    [InlineData("func f(x); ret f(x + 1); end; f(1)", "recursive depth")]
    [InlineData("func f(x); ret f(x) + f(x); end; f(1)", "recursive depth")]
    [InlineData("for i in 1..100000000; end", "LoopLimit")]
    [InlineData("(1..100000000) | array.size", "LoopLimit")]
    [InlineData("for i in 1..1000; for j in 1..1000; for k in 1..1000; end; end; end", "iteration limit")]
    [InlineData("[1, 2] * 100000", "iteration limit")]
    [InlineData("\"x\" * 1000000000", "LimitToString")]
    [InlineData("regex.match \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\" \"(a+)+$\"", "timed out")]
    public async Task Evaluate_RunawayExpression_ReturnsErrorInsteadOfHanging(string text, string reason)
    {
        var result = await EvaluateAsync(text);

        Assert.Null(result.Value);
        Assert.NotNull(result.Error);
        Assert.Contains(reason, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Evaluate_SelfConcatenatingEmptyArrayInALoop_FinishesInsteadOfHanging()
    {
        // Scriban's lazy array functions would nest one enumerator per round (2^1000 work); the sandbox builds lists eagerly.
        var result = await EvaluateAsync("a = []; for i in 1..1000; a = a | array.add_range a; end; a | array.size");

        Assert.Null(result.Error);
        Assert.Equal(0, result.Value!.GetValue<int>());
    }

    [Fact(Timeout = HangGuard)]
    public async Task Evaluate_SelfConcatenatingListInALoop_IsStoppedByALimit()
    {
        var engine = new ExpressionEngine(new ExpressionOptions { LoopLimit = int.MaxValue });

        var result = await EvaluateAsync("a = [1]; for i in 1..1000; a = a | array.add_range a; end; a | array.size", engine);

        Assert.Null(result.Value);
        Assert.Contains("at most 10,000 items", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Evaluate_LoopWithinLoopLimitButOverTimeLimit_IsStoppedByTheTimeLimit()
    {
        var engine = new ExpressionEngine(new ExpressionOptions { LoopLimit = int.MaxValue, TimeLimit = TimeSpan.FromMilliseconds(50) });

        var result = await EvaluateAsync("while true; end", engine);

        Assert.Null(result.Value);
        Assert.Contains("longer than 50 ms", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Evaluate_ThousandsOfNestedParentheses_IsASyntaxErrorNotAStackOverflow()
    {
        var engine = new ExpressionEngine(new ExpressionOptions { MaxLength = 100_000 });
        var text = new string('(', 10_000) + "1" + new string(')', 10_000);

        var parsed = await Task.Run(() => engine.Parse(text), TestEngine.Cancellation);
        var evaluated = await EvaluateAsync(text, engine);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(ProblemCodes.ExpressionSyntax, error.Code);
        Assert.NotNull(error.Position);
        Assert.Equal(ProblemCodes.ExpressionSyntax, evaluated.Error!.Code);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Evaluate_UnclosedNestedParentheses_IsASyntaxError()
    {
        var engine = new ExpressionEngine(new ExpressionOptions { MaxLength = 100_000 });

        var parsed = await Task.Run(() => engine.Parse(new string('(', 10_000)), TestEngine.Cancellation);

        Assert.False(parsed.IsValid);
        Assert.All(parsed.Errors, e => Assert.NotNull(e.Position));
    }

    [Fact]
    public void Parse_LongerThanMaxLength_IsRefusedBeforeParsing()
    {
        var parsed = new ExpressionEngine().Parse(new string('(', 10_000));

        Assert.Equal(ProblemCodes.ExpressionTooLong, Assert.Single(parsed.Errors).Code);
    }

    [Fact]
    public void Validate_DeeplyNestedConditionInDefinition_IsLocatedSyntaxError()
    {
        // Under the 4,000-character limit, far over the nesting limit.
        var condition = new string('(', 1_900) + "true" + new string(')', 1_900);
        var json = DefinitionCheck.Document(
            $$"""{ "id": "start", "type": "Start" }, { "id": "deep", "type": "Decision", "properties": { "condition": "{{condition}}" } }, { "id": "end", "type": "End" }""",
            """{ "from": "start", "to": "deep" }, { "from": "deep", "outcome": "true", "to": "end" }, { "from": "deep", "outcome": "false", "to": "end" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.ExpressionSyntax);

        Assert.Equal(("deep", "condition"), (problem.ActivityId, problem.Property));
        Assert.Equal(TextPosition.Of(json, "\"((("), problem.Position);
        Assert.NotNull(problem.ExpressionPosition);
    }

    [Theory]
    [InlineData("include \"secrets.txt\"")]
    [InlineData("include_join [\"a\"] \",\"")]
    [InlineData("math.random 1 10")]
    [InlineData("object.eval \"1 + 1\"")]
    [InlineData("object.eval_template \"{{ 1 }}\"")]
    [InlineData("\"a\" | string.pad_left 100000000")]
    public async Task Evaluate_RemovedBuiltin_FailsAsNotFound(string text)
    {
        var result = await EvaluateAsync(text);

        Assert.NotNull(result.Error);
        Assert.Contains("not found", result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("date.now")]
    [InlineData("date.utc_now")]
    [InlineData("math.uuid")]
    public async Task Evaluate_WallClockAndRandomness_AreNotAvailable(string text)
    {
        var result = await EvaluateAsync(text);

        Assert.Null(result.Value);
    }

    [Fact]
    public void Validate_Include_IsAnUnknownName()
    {
        var json = DefinitionCheck.Document(
            """{ "id": "start", "type": "Start" }, { "id": "end", "type": "End", "properties": { "result": "include \"x\"" } }""",
            """{ "from": "start", "to": "end" }""");

        var problem = DefinitionCheck.Single(json, ProblemCodes.UnknownVariable);

        Assert.Contains("'include'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_Builtins_CannotBeChangedForTheNextExpression()
    {
        var engine = new ExpressionEngine();

        var tamper = await EvaluateAsync("string.upcase = 1; math.abs = null; 1", engine);
        var after = await EvaluateAsync("\"a\" | string.upcase", engine);

        Assert.Equal("A", after.Value!.GetValue<string>());
        Assert.NotNull(tamper.Error);
    }

    [Fact]
    public async Task Evaluate_ScopeValueNestedTooDeeply_ReturnsError()
    {
        JsonNode deep = new JsonObject();
        for (var i = 0; i < 40; i++)
        {
            deep = new JsonObject { ["x"] = deep };
        }

        var scope = new ExpressionScope(new JsonObject { ["deep"] = deep }, null, null, null, TestEngine.Epoch);

        var result = await Task.Run(() => new ExpressionEngine().Evaluate("1", scope), TestEngine.Cancellation);

        Assert.NotNull(result.Error);
    }
}
