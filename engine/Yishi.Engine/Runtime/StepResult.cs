using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Runtime;

/// <summary>How a runtime call ended. Every value but <see cref="Succeeded"/> means nothing was written.</summary>
public enum StepStatus
{
    /// <summary>Committed.</summary>
    Succeeded,
    /// <summary>No such definition, instance or bookmark.</summary>
    NotFound,
    /// <summary>Someone else got there first: the bookmark was already resumed, or the instance changed.</summary>
    Conflict,
    /// <summary>The input does not fit (see the problems).</summary>
    InvalidInput,
    /// <summary>The actor may not act on this bookmark.</summary>
    Forbidden,
    /// <summary>The instance is not in a state that allows this (finished, or faulted and not retried).</summary>
    NotActive,
    /// <summary>The store failed; nothing was written.</summary>
    Failed,
}

/// <summary>The result of a runtime call.</summary>
/// <param name="Status">How it ended.</param>
public sealed record StepResult(StepStatus Status)
{
    /// <summary>The instance concerned.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Its status after the step.</summary>
    public InstanceStatus? InstanceStatus { get; init; }

    /// <summary>Bookmarks the step created that are open now (the next tasks, timers, waits).</summary>
    public ImmutableArray<Bookmark> Bookmarks { get; init; } = [];

    /// <summary>Why the input was refused.</summary>
    public ImmutableArray<ValidationProblem> Problems { get; init; } = [];

    /// <summary>A plain explanation when it did not succeed.</summary>
    public string? Message { get; init; }

    /// <summary>For <see cref="StepStatus.Conflict"/>: what was taken first.</summary>
    public ConflictReason? Conflict { get; init; }

    /// <summary>The instance's result, when the step completed it.</summary>
    public JsonNode? Result { get; init; }

    /// <summary>True when committed.</summary>
    public bool Succeeded => Status == StepStatus.Succeeded;

    internal static StepResult Fail(StepStatus status, string message, string? instanceId = null) => new(status) { Message = message, InstanceId = instanceId };

    internal static StepResult Conflicted(ConflictReason reason, string message, string? instanceId = null) =>
        new(StepStatus.Conflict) { Message = message, InstanceId = instanceId, Conflict = reason };
}

/// <summary>What happened to a published message.</summary>
/// <param name="DeliveredTo">Bookmarks it resumed.</param>
/// <param name="StoredMessageId">The id under which it was kept for a later wait, if nobody waited.</param>
public sealed record MessageResult(ImmutableArray<string> DeliveredTo, string? StoredMessageId);
