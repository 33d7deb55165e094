using System.Collections.Immutable;
using Yishi.Engine.Definitions;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Fuzzing;

/// <summary>The properties every fuzz input must keep, with the input in the failure message so it can be replayed.</summary>
public static class FuzzChecks
{
    /// <summary>The fixed seed, moved by <c>YISHI_FUZZ_SEED_OFFSET</c> for longer local fuzzing runs.</summary>
    public static Random Random(int seed) =>
        new(seed + (int.TryParse(Environment.GetEnvironmentVariable("YISHI_FUZZ_SEED_OFFSET"), out var offset) ? offset : 0));

    /// <summary>Runs <paramref name="check"/>; never throwing is the property.</summary>
    public static T NoThrow<T>(Func<T> check, string what, string input)
    {
        try
        {
            return check();
        }
#pragma warning disable CA1031 // Any exception is the finding; it is reported with the input that caused it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Assert.Fail($"{what} threw for this input:\n{input}\n\n{exception}");
            throw;
        }
    }

    /// <summary>Runs <paramref name="check"/>; neither throwing nor hanging (a generous wall-clock guard) is the property.</summary>
    public static async Task<T> NoThrowAsync<T>(Func<Task<T>> check, string what, string input)
    {
        try
        {
            return await Task.Run(check, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        }
#pragma warning disable CA1031 // Any exception is the finding; it is reported with the input that caused it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Assert.Fail($"{what} threw for this input:\n{input}\n\n{exception}");
            throw;
        }
    }

    /// <summary>A rejected document says why (an error), and every problem says where (a path or a position).</summary>
    public static void ProblemsAreLocated(WorkflowDefinition? definition, ImmutableArray<ValidationProblem> problems, string input)
    {
        if (definition is null)
        {
            Assert.True(problems.Any(p => p.IsError), $"A document was rejected without an error:\n{input}\n{string.Join("\n", problems)}");
        }

        foreach (var problem in problems)
        {
            Assert.True(problem.Path is not null || problem.Position is not null, $"Unlocated problem {problem} for:\n{input}");
            Assert.False(string.IsNullOrWhiteSpace(problem.Message), $"Problem without a message for:\n{input}");
        }
    }
}
