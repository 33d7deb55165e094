namespace Yishi.Engine.Expressions;

/// <summary>
/// The sandbox limits for expressions. Scriban has had stack-overflow advisories, so every limit it offers is set.
/// </summary>
public sealed record ExpressionOptions
{
    /// <summary>Most iterations of any one loop.</summary>
    public int LoopLimit { get; init; } = 1000;

    /// <summary>Deepest function recursion.</summary>
    public int RecursionLimit { get; init; } = 32;

    /// <summary>Deepest nesting of parsed expressions (parser guard against stack overflow).</summary>
    public int NestingLimit { get; init; } = 64;

    /// <summary>Deepest object graph converted or printed.</summary>
    public int ObjectDepthLimit { get; init; } = 16;

    /// <summary>Longest string a conversion to text may produce.</summary>
    public int StringLimit { get; init; } = 64 * 1024;

    /// <summary>Longest time one evaluation may run.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest expression text accepted.</summary>
    public int MaxLength { get; init; } = 4000;

    /// <summary>How many parsed expressions are cached.</summary>
    public int CacheSize { get; init; } = 10_000;
}
