using Yishi.Engine.Definitions;
using Yishi.Engine.Expressions;

namespace Yishi.Engine.Runtime;

/// <summary>Settings of a <see cref="WorkflowRuntime"/>.</summary>
public sealed record WorkflowRuntimeOptions
{
    /// <summary>Most activities one step may run before the instance gets an incident (stops loops that never wait).</summary>
    public int StepBudget { get; init; } = 1000;

    /// <summary>Most steps committed in one transaction.</summary>
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>Commit loops: 1 for SQLite (one writer); more for PostgreSQL or SQL Server.</summary>
    public int CommitWriters { get; init; } = 1;

    /// <summary>How long a message that nobody waits for yet is kept.</summary>
    public TimeSpan EarlyMessageRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How often a step is re-run when another step changed its instance first.</summary>
    public int MaxConflictRetries { get; init; } = 10;

    /// <summary>Deepest chain of sub-workflows started within one step.</summary>
    public int MaxSubWorkflowDepth { get; init; } = 8;

    /// <summary>Caps on definitions.</summary>
    public DefinitionLimits DefinitionLimits { get; init; } = DefinitionLimits.Default;

    /// <summary>Sandbox limits of expressions.</summary>
    public ExpressionOptions Expressions { get; init; } = new();
}
