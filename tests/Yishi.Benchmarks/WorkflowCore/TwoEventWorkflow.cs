using WorkflowCore.Interface;

namespace Yishi.Benchmarks.WorkflowCore;

/// <summary>
/// WorkflowCore's counterpart of Yishi's Start → HumanTask → HumanTask → End: two waits on external events keyed by
/// instance. The first and last steps only report progress, so the measure is WorkflowCore's own event handling.
/// </summary>
internal sealed class TwoEventWorkflow(InstanceProgress arrived, InstanceProgress completed) : IWorkflow<TwoEventData>
{
    public const string DefinitionId = "yishi-bench-two-events";
    public const string FirstEvent = "e1";
    public const string SecondEvent = "e2";

    public string Id => DefinitionId;

    public int Version => 1;

    public void Build(IWorkflowBuilder<TwoEventData> builder) =>
        builder
            .StartWith(context => arrived.Reached(context.Workflow.Id))
            .WaitFor(FirstEvent, data => data.Key)
            .WaitFor(SecondEvent, data => data.Key)
            .Then(context => completed.Reached(context.Workflow.Id));
}

/// <summary>WorkflowCore binds event keys through expressions over a mutable data class; Key is the instance's event key.</summary>
internal sealed class TwoEventData
{
    public string Key { get; set; } = "";
}
