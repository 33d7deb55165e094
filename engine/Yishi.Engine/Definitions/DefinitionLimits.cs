namespace Yishi.Engine.Definitions;

/// <summary>
/// Caps that keep one oversized or hostile definition from hurting the engine. The defaults are far above
/// what community processes need (the shipped mediation workflow has a few dozen activities).
/// </summary>
public sealed record DefinitionLimits
{
    /// <summary>Largest definition file accepted, in bytes.</summary>
    public int MaxBytes { get; init; } = 1024 * 1024;

    /// <summary>Most activities in one definition.</summary>
    public int MaxActivities { get; init; } = 1000;

    /// <summary>Most connections in one definition.</summary>
    public int MaxConnections { get; init; } = 4000;

    /// <summary>Deepest JSON nesting accepted.</summary>
    public int MaxJsonDepth { get; init; } = 64;

    /// <summary>The defaults.</summary>
    public static DefinitionLimits Default { get; } = new();
}
