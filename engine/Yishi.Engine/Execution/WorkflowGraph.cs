using System.Collections.Frozen;
using System.Collections.Immutable;
using Yishi.Engine.Activities;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Engine.Definitions;

namespace Yishi.Engine.Execution;

/// <summary>
/// A validated definition prepared for running: activities and their implementations by id, outgoing
/// connections by (activity, outcome), and for each join the set of activities that can still feed each
/// of its inbound connections. Built once per published version and shared by every instance.
/// </summary>
public sealed class WorkflowGraph
{
    private readonly FrozenDictionary<string, Node> _nodes;

    private WorkflowGraph(WorkflowDefinition definition, int version, FrozenDictionary<string, Node> nodes, string startId)
    {
        Definition = definition;
        Version = version;
        _nodes = nodes;
        StartActivityId = startId;
    }

    /// <summary>The definition.</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>Its version.</summary>
    public int Version { get; }

    /// <summary>The Start activity.</summary>
    public string StartActivityId { get; }

    internal Node this[string activityId] => _nodes[activityId];

    internal bool Contains(string activityId) => _nodes.ContainsKey(activityId);

    /// <summary>Builds the graph of a definition that validated without errors.</summary>
    public static WorkflowGraph Build(WorkflowDefinition definition, int version, ActivityRegistry registry)
    {
        var connections = definition.Connections;
        var inbound = connections.Select((c, i) => (c, i)).GroupBy(x => x.c.To, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.i).ToImmutableArray(), StringComparer.Ordinal);
        var predecessors = connections.GroupBy(c => c.To, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(c => c.From).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var activity in definition.Activities)
        {
            var implementation = registry.Find(activity.Type) ?? throw new InvalidOperationException($"Unknown activity type '{activity.Type}'.");
            var outgoing = connections.Select((c, i) => (c, i)).Where(x => x.c.From == activity.Id)
                .GroupBy(x => x.c.Outcome, StringComparer.Ordinal)
                .ToFrozenDictionary(g => g.Key, g => g.Select(x => new Edge(x.i, x.c.To)).ToImmutableArray(), StringComparer.Ordinal);
            var inboundIndexes = inbound.GetValueOrDefault(activity.Id, []);
            var isJoin = activity.Type == JoinActivity.TypeName;
            var feeders = isJoin
                ? inboundIndexes.ToFrozenDictionary(i => i, i => Feeders(connections[i].From, activity.Id, predecessors))
                : FrozenDictionary<int, FrozenSet<string>>.Empty;
            nodes[activity.Id] = new Node(activity, implementation, outgoing, inboundIndexes, isJoin, isJoin && JoinActivity.IsAny(activity), feeders);
        }

        var start = definition.Activities.First(a => registry.Find(a.Type)?.Descriptor.CanStartWorkflow == true).Id;
        return new WorkflowGraph(definition, version, nodes.ToFrozenDictionary(StringComparer.Ordinal), start);
    }

    /// <summary>Activities from which <paramref name="source"/> can be reached without passing through <paramref name="join"/>.</summary>
    private static FrozenSet<string> Feeders(string source, string join, Dictionary<string, string[]> predecessors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { source };
        var queue = new Queue<string>([source]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var previous in predecessors.GetValueOrDefault(current, []))
            {
                if (previous != join && seen.Add(previous))
                {
                    queue.Enqueue(previous);
                }
            }
        }

        return seen.ToFrozenSet(StringComparer.Ordinal);
    }

    internal sealed record Node(
        ActivityDefinition Activity,
        Activity Implementation,
        FrozenDictionary<string, ImmutableArray<Edge>> Outgoing,
        ImmutableArray<int> Inbound,
        bool IsJoin,
        bool IsJoinAny,
        FrozenDictionary<int, FrozenSet<string>> JoinFeeders)
    {
        public ImmutableArray<Edge> EdgesFor(string outcome) => Outgoing.GetValueOrDefault(outcome, []);
    }

    internal readonly record struct Edge(int Index, string To);
}
