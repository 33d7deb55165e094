using System.Text.Json.Nodes;

namespace Yishi.Engine.Messages;

/// <summary>
/// A message that arrived before any instance waited for it. It is kept until <see cref="ExpiresAt"/> and
/// delivered when a matching WaitForMessage bookmark appears (e.g. a hotline update that overtakes the case's registration).
/// </summary>
/// <param name="Id">Unique id.</param>
/// <param name="Name">Message name.</param>
/// <param name="CorrelationKey">Correlation key.</param>
/// <param name="Payload">Its data.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="ExpiresAt">When it is dropped if still undelivered.</param>
/// <param name="Scope">The sender's scope: it is delivered only to waits inside it (null: to any).</param>
public sealed record PendingMessage(string Id, string Name, string CorrelationKey, JsonObject? Payload, DateTimeOffset ReceivedAt, DateTimeOffset ExpiresAt,
    string? Scope = null);
