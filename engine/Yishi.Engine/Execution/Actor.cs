using System.Collections.Immutable;

namespace Yishi.Engine.Execution;

/// <summary>Who acts on the engine: a user with roles, or the system itself (timers, messages, the outbox).</summary>
/// <param name="Id">User id, or <c>system</c>.</param>
/// <param name="Roles">The user's roles.</param>
public sealed record Actor(string Id, ImmutableArray<string> Roles)
{
    /// <summary>The engine itself; may resume any bookmark.</summary>
    public static Actor System { get; } = new("system", []);

    /// <summary>True for <see cref="System"/> only: a user who happens to be called "system" gets no privileges.</summary>
    public bool IsSystem => ReferenceEquals(this, System);

    /// <summary>A user with roles.</summary>
    public static Actor User(string id, params string[] roles) => new(id, [.. roles]);
}
