using System.Collections.Frozen;
using Yishi.Engine.Activities.BuiltIn;

namespace Yishi.Engine.Activities;

/// <summary>
/// The activity types a runtime knows. Built-ins are always there; features add theirs (Notify, Ballot, …)
/// through <see cref="ActivityRegistryBuilder"/>, the one way to register an activity. Immutable once built.
/// </summary>
public sealed class ActivityRegistry
{
    private readonly FrozenDictionary<string, Activity> _activities;

    private ActivityRegistry(IEnumerable<Activity> activities)
    {
        _activities = activities.ToFrozenDictionary(a => a.Descriptor.Type, StringComparer.Ordinal);
    }

    /// <summary>The built-in types only.</summary>
    public static ActivityRegistry BuiltIn { get; } = new ActivityRegistryBuilder().Build();

    /// <summary>The implementation of a type, if registered.</summary>
    public Activity? Find(string type) => _activities.GetValueOrDefault(type);

    /// <summary>Every descriptor, ordered by category then type (the designer's palette).</summary>
    public IReadOnlyList<ActivityDescriptor> Descriptors =>
        [.. _activities.Values.Select(a => a.Descriptor).OrderBy(d => d.Category, StringComparer.Ordinal).ThenBy(d => d.Type, StringComparer.Ordinal)];

    internal static ActivityRegistry Create(IEnumerable<Activity> activities) => new(activities);
}

/// <summary>Collects activity types for an <see cref="ActivityRegistry"/>.</summary>
public sealed class ActivityRegistryBuilder
{
    private readonly Dictionary<string, Activity> _activities = new(StringComparer.Ordinal);

    /// <summary>Starts with the built-in types.</summary>
    public ActivityRegistryBuilder()
    {
        foreach (var activity in (Activity[])[new StartActivity(), new EndActivity(), new HumanTaskActivity(), new DecisionActivity(), new ForkActivity(),
                     new JoinActivity(), new SetVariableActivity(), new DelayActivity(), new UntilActivity(), new WaitForMessageActivity(), new SubWorkflowActivity(),
                     new NotifyActivity(), new DocumentActivity(), new BallotActivity(), new ConsultationActivity(), new CosignActivity()])
        {
            Add(activity);
        }
    }

    /// <summary>Adds a type; a second type with the same name is a programming error.</summary>
    public ActivityRegistryBuilder Add(Activity activity)
    {
        if (!_activities.TryAdd(activity.Descriptor.Type, activity))
        {
            throw new InvalidOperationException($"The activity type '{activity.Descriptor.Type}' is registered twice.");
        }

        return this;
    }

    /// <summary>Builds the registry.</summary>
    public ActivityRegistry Build() => ActivityRegistry.Create(_activities.Values);
}
