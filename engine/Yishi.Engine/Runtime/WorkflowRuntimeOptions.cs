using Yishi.Engine.Definitions;
using Yishi.Engine.Expressions;

namespace Yishi.Engine.Runtime;

/// <summary>Settings of a <see cref="WorkflowRuntime"/>.</summary>
public sealed class WorkflowRuntimeOptions
{
    /// <summary>Most activities one step may run before the instance gets an incident (stops loops that never wait).</summary>
    public int StepBudget { get; set; } = 1000;

    /// <summary>Most steps committed in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Commit loops: 1 for SQLite (one writer); more for PostgreSQL or SQL Server.</summary>
    public int CommitWriters { get; set; } = 1;

    /// <summary>Timers resumed at once by a sweep: enough to fill group-commit batches.</summary>
    public int TimerParallelism { get; set; } = 128;

    /// <summary>Longest a timer sweeper sleeps between looks, so timers committed by another process are seen in time.</summary>
    public TimeSpan TimerPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a message that nobody waits for yet is kept.</summary>
    public TimeSpan EarlyMessageRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a step is re-run when another step changed its instance first.</summary>
    public int MaxConflictRetries { get; set; } = 10;

    /// <summary>Deepest chain of sub-workflows started within one step.</summary>
    public int MaxSubWorkflowDepth { get; set; } = 8;

    /// <summary>Caps on definitions.</summary>
    public DefinitionLimits DefinitionLimits { get; set; } = DefinitionLimits.Default;

    /// <summary>Sandbox limits of expressions.</summary>
    public ExpressionOptions Expressions { get; set; } = new();
}
