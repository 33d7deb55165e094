using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Fuzzing;

/// <summary>
/// Thousands of damaged and random definitions through parsing and validation. Seeds are fixed, so a failure
/// replays; the message carries the input.
/// </summary>
public sealed class DefinitionFuzzTests
{
    private const int HangGuard = 60_000;
    private static readonly string[] GoldenFiles = ["approval.json", "fork-join-all.json", "fork-join-any.json", "mediation.json"];

    [Theory(Timeout = HangGuard)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Check_MutatedDefinitions_NeverThrowsAndLocatesEveryProblem(int seed)
    {
        var random = FuzzChecks.Random(seed);
        var corpus = GoldenFiles.Select(DefinitionFiles.Read).Concat(Enumerable.Range(0, 8).Select(_ => new RandomDefinitions(random).Next())).ToList();
        var rejected = 0;

        await Task.Run(() =>
        {
            for (var i = 0; i < 2500; i++)
            {
                var json = TextMutations.Mutate(corpus[random.Next(corpus.Count)], random);

                var (definition, problems) = FuzzChecks.NoThrow(() => DefinitionCheck.Run(json), "Check", json);

                FuzzChecks.ProblemsAreLocated(definition, problems, json);
                rejected += problems.Any(p => p.IsError) ? 1 : 0;
            }
        }, TestEngine.Cancellation);

        // Most damage must be noticed; a fuzzer whose inputs all pass tests nothing.
        Assert.InRange(rejected, 1250, 2500);
    }

    [Theory(Timeout = HangGuard)]
    [InlineData(11)]
    [InlineData(12)]
    public async Task Check_RandomDefinitions_NeverThrowsAndLocatesEveryProblem(int seed)
    {
        var random = FuzzChecks.Random(seed);
        var definitions = new RandomDefinitions(random);
        var valid = 0;

        await Task.Run(() =>
        {
            for (var i = 0; i < 1500; i++)
            {
                var json = definitions.Next();

                var (definition, problems) = FuzzChecks.NoThrow(() => DefinitionCheck.Run(json), "Check", json);

                FuzzChecks.ProblemsAreLocated(definition, problems, json);
                valid += definition is not null && !problems.Any(p => p.IsError) ? 1 : 0;
            }
        }, TestEngine.Cancellation);

        Assert.InRange(valid, 150, 1400);
    }
}
