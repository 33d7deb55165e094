using System.Collections.Immutable;

namespace Yishi.Engine.Execution;

/// <summary>Who acts on the engine: a user with roles, or the system itself (timers, messages, the outbox).</summary>
/// <param name="Id">User id, or <c>system</c>.</param>
/// <param name="Roles">The user's roles.</param>
/// <param name="Scope">
/// Where the user acts, as a scope prefix (see <see cref="Instances.WorkflowInstance.Scope"/>); null acts everywhere.
/// A task for a role is theirs only inside this scope: a mediator of one community does not work another's cases.
/// </param>
public sealed record Actor(string Id, ImmutableArray<string> Roles, string? Scope = null)
{
    /// <summary>May this actor reach something in <paramref name="scope"/>? Unscoped things only by unscoped actors: privacy errs on the closed side.</summary>
    public bool Reaches(string? scope) => Contains(Scope, scope);

    /// <summary>Does <paramref name="outer"/> contain <paramref name="inner"/>? Null contains everything; nothing but null contains null.</summary>
    public static bool Contains(string? outer, string? inner) => outer is null || (inner is not null && inner.StartsWith(outer, StringComparison.Ordinal));

    /// <summary>The engine itself; may resume any bookmark.</summary>
    public static Actor System { get; } = new("system", []);

    /// <summary>True for <see cref="System"/> only: a user who happens to be called "system" gets no privileges.</summary>
    public bool IsSystem => ReferenceEquals(this, System);

    /// <summary>A user with roles.</summary>
    public static Actor User(string id, params string[] roles) => new(id, [.. roles]);
}
