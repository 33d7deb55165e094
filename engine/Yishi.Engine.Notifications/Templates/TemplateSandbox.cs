namespace Yishi.Engine.Notifications.Templates;

/// <summary>
/// Limits on one rendering. Templates are written by community staff, so a mistake (an endless loop, a huge
/// string, deep recursion) must stop with a clear error instead of stalling the outbox.
/// </summary>
public sealed record TemplateSandbox
{
    /// <summary>Most iterations of any one loop.</summary>
    public int LoopLimit { get; init; } = 1000;

    /// <summary>Deepest function recursion.</summary>
    public int RecursionLimit { get; init; } = 32;

    /// <summary>Deepest object graph read or printed.</summary>
    public int ObjectDepthLimit { get; init; } = 16;

    /// <summary>Longest output of one part.</summary>
    public int OutputLimit { get; init; } = 256 * 1024;

    /// <summary>Longest time one rendering may take.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many compiled templates are kept.</summary>
    public int CacheSize { get; init; } = 2_000;
}
