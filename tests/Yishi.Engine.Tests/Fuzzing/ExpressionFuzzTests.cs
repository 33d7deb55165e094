using System.Text.Json.Nodes;
using Yishi.Engine.Expressions;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Fuzzing;

/// <summary>Random expressions: parsing and evaluation return data (a value or a located error), never an exception or a hang.</summary>
public sealed class ExpressionFuzzTests
{
    private const int HangGuard = 60_000;

    [Theory(Timeout = HangGuard)]
    [InlineData(31)]
    [InlineData(32)]
    public async Task ParseAndEvaluate_RandomExpressions_NeverThrow(int seed)
    {
        var random = FuzzChecks.Random(seed);
        var engine = new ExpressionEngine(new ExpressionOptions { TimeLimit = TimeSpan.FromMilliseconds(200) });
        var scope = new ExpressionScope(Json.Object("""{ "x": 1, "amount": 2.5, "name": "n", "list": [1, 2], "obj": { "a": { "b": null } } }"""),
            new JsonObject { ["x"] = 3 }, new JsonObject(), new JsonObject { ["id"] = "i" }, TestEngine.Epoch);
        var evaluated = 0;

        await Task.Run(() =>
        {
            for (var i = 0; i < 4000; i++)
            {
                var text = random.Next(3) == 0 ? RandomExpressions.Shaped(random) : RandomExpressions.Soup(random, random.Next(1, 15));

                var parsed = FuzzChecks.NoThrow(() => engine.Parse(text), "Parse", text);
                var result = FuzzChecks.NoThrow(() => engine.Evaluate(text, scope), "Evaluate", text);

                Assert.All(parsed.Errors, e => Assert.NotNull(e.Position));
                Assert.True(result.Error is null || !string.IsNullOrEmpty(result.Error.Message), text);
                Assert.Equal(parsed.IsValid, result.Error?.Code != ProblemCodes.ExpressionSyntax && result.Error?.Code != ProblemCodes.ExpressionTooLong);
                evaluated += parsed.IsValid ? 1 : 0;
            }
        }, TestEngine.Cancellation);

        Assert.True(evaluated > 100, $"Only {evaluated} random expressions parsed; the generator needs tuning.");
    }
}
