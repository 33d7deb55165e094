using System.Text.Json.Nodes;

namespace Yishi.Engine.Outbox;

/// <summary>
/// Work to do after a step commits (resume a parent, and in later features schedule a timer or send a
/// notification), written in the step's transaction so that a crash between commit and action loses nothing.
/// </summary>
/// <param name="Id">Unique id; also the idempotency key of the action.</param>
/// <param name="InstanceId">The instance that produced it.</param>
/// <param name="Kind">What to do, e.g. <see cref="OutboxKinds.ResumeParent"/>.</param>
/// <param name="Payload">The details.</param>
/// <param name="CreatedAt">When it was written.</param>
public sealed record OutboxMessage(string Id, string InstanceId, string Kind, JsonObject Payload, DateTimeOffset CreatedAt);

/// <summary>Outbox kinds the engine handles itself.</summary>
public static class OutboxKinds
{
    /// <summary>A finished child instance resumes its parent's SubWorkflow bookmark.</summary>
    public const string ResumeParent = "engine.resume-parent";

    /// <summary>A task passed a share of its time to the deadline; hosts tell the people it is for.</summary>
    public const string TaskDeadline = "engine.task-deadline";

    /// <summary>A Notify activity ran: the host finds its recipients, renders the template and queues the messages.</summary>
    public const string Notify = "engine.notify";

    /// <summary>A Document activity ran: the host renders the document and stores it with the case.</summary>
    public const string Document = "engine.document";

    /// <summary>A Ballot activity gave notice: the host freezes the electorate and opens and closes the ballot.</summary>
    public const string Ballot = "engine.ballot";

    /// <summary>A Consultation activity opened: the host publishes it and collects opinions until it closes.</summary>
    public const string Consultation = "engine.consultation";

    /// <summary>A Cosign activity published a proposal: the host shows it to the residents and counts their signatures.</summary>
    public const string Cosign = "engine.cosign";
}
