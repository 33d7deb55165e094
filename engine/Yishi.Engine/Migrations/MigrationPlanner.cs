using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.Migrations;

/// <summary>
/// Plans moving one open case from the version it runs on to a newer published version of the same definition.
/// The plan is pure (no I/O, no clock): the dry run and the migration itself compute the same plan from the same state.
/// <para><b>Counterparts.</b> An activity of the case's version maps to the activity of the target version with the same
/// id, unless the map names another (<c>oldId → newId</c>, for renamed activities). A map entry whose source is not in
/// the case's version is ignored for that case (one map can serve cases on several old versions).</para>
/// <para><b>Refused</b> (the case is left untouched): the case is finished; it belongs to another definition; the target
/// is not newer than its version; a live token (waiting, failed or ready) stands on an activity without a counterpart;
/// a counterpart has another activity type (a waiting HumanTask cannot become a Timer); a join with recorded arrivals
/// maps to a non-join; two old activities that both carry state in this case (a live token, an output, join arrivals)
/// would become the same activity; an open task would offer no outcome that the target version still has (it could
/// never be completed); a waiting token's bookmark is missing.</para>
/// <para><b>Nothing re-executes.</b> Tokens keep their ids and status; a waiting token stays on the same bookmark, which
/// keeps its id, deadline, alarm, assignee and payload and only has its activity id re-pointed; completed activities are
/// not run again and their outputs are kept (re-keyed to the counterpart's id, so the target version's expressions find
/// them; outputs of activities without a counterpart stay under their old id, unused). Joins keep the arrivals whose
/// connection (same counterpart ends, same outcome) exists in the target version; incidents are re-pointed.</para>
/// <para><b>Warned</b> (it moves, but someone should know): an open task or wait keeps what it was set up with under the
/// old version (title, assignee, deadline, firing time, message name, ballot) while the target version changed those
/// properties; an open task is completed against the target version's form and outcomes (an offered outcome the target
/// version dropped would be refused); a join's arrival on a connection the target version does not have is dropped; a
/// join whose activity is gone loses its arrivals; a join that no longer waits for anything goes on at the case's next
/// step; an incident on an activity that is gone is dropped; a failed or ready activity runs by the target version's
/// properties when the case is retried (how a fix reaches a stuck case); a variable the target version does not declare
/// keeps its value but nothing reads it; a variable whose type changed keeps a value that may not fit; a variable the
/// target version adds starts with its default (or empty).</para>
/// <para><b>Sub-workflows.</b> A parent waiting on a child moves; the child does not: it stays on its own definition's
/// version and can be migrated on its own. Journal history is never rewritten: entries before the migration name the
/// old version's activity ids.</para>
/// </summary>
public static partial class MigrationPlanner
{
    /// <summary>Plans the migration of <paramref name="instance"/> (with its open bookmarks) from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static MigrationPlan Plan(WorkflowInstance instance, IReadOnlyList<Bookmark> openBookmarks, WorkflowGraph from, WorkflowGraph to,
        IReadOnlyDictionary<string, string> map) => Build(instance, openBookmarks, from, to, map).Plan;

    /// <summary>The plan, and when it allows the move, the rewritten state and bookmark changes that carry it out.</summary>
    internal static (MigrationPlan Plan, MigrationRewrite? Rewrite) Build(WorkflowInstance instance, IReadOnlyList<Bookmark> openBookmarks, WorkflowGraph from,
        WorkflowGraph to, IReadOnlyDictionary<string, string> map)
    {
        var work = new Work(instance, openBookmarks, from, to, map);
        if (instance.IsFinished)
        {
            work.Refuse(MigrationCodes.Finished, null, $"The case is {instance.Status.ToString().ToLowerInvariant()}: only open cases move.");
        }
        else if (instance.DefinitionId != to.Definition.DefinitionId)
        {
            work.Refuse(MigrationCodes.OtherDefinition, null, $"The case runs '{instance.DefinitionId}', not '{to.Definition.DefinitionId}'.");
        }
        else if (to.Version <= instance.DefinitionVersion)
        {
            work.Refuse(MigrationCodes.NotNewer, null, $"The case runs v{instance.DefinitionVersion}; v{to.Version} is not newer.");
        }
        else
        {
            work.CheckCollisions();
            work.MoveTokens();
            work.MoveStaleBookmarks();
            work.MoveJoins();
            work.WarnJoinsThatFire();
            work.MoveIncidents();
            work.MoveOutputs();
            work.MoveVariables();
        }

        var plan = new MigrationPlan(instance.Id, instance.DefinitionId, instance.DefinitionVersion, to.Version, instance.CorrelationKey,
            work.Placements.ToImmutable(), work.Warnings.ToImmutable(), work.Problems.ToImmutable())
        {
            Renames = work.Renames(),
        };
        return (plan, plan.CanMigrate ? work.Rewrite() : null);
    }

    /// <summary>An activity's name for people: its display name, else its title, else its id.</summary>
    public static LocalizedText NameOf(ActivityDefinition activity)
    {
        if (activity.DisplayName is { } name)
        {
            return name;
        }

        return activity.Property("title") switch
        {
            { ValueKind: JsonValueKind.String } title => LocalizedText.Invariant(title.GetString()!),
            { ValueKind: JsonValueKind.Object } title => new LocalizedText(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                title.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!)))),
            _ => LocalizedText.Invariant(activity.Id),
        };
    }

    /// <summary>The wait a bookmark kind stands for.</summary>
    public static WaitKind WaitOf(BookmarkKind kind) => kind switch
    {
        BookmarkKind.HumanTask => WaitKind.Task,
        BookmarkKind.Timer => WaitKind.Timer,
        BookmarkKind.Message => WaitKind.Message,
        BookmarkKind.SubWorkflow => WaitKind.SubWorkflow,
        BookmarkKind.Ballot => WaitKind.Ballot,
        BookmarkKind.Consultation => WaitKind.Consultation,
        BookmarkKind.Cosign => WaitKind.Cosign,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A bookmark kind without a wait."),
    };

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The properties whose values differ between two versions of an activity, by name.</summary>
    private static ImmutableArray<string> ChangedProperties(ActivityDefinition before, ActivityDefinition after) =>
    [
        .. before.Properties.Keys.Union(after.Properties.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where(name => (before.Property(name), after.Property(name)) switch
            {
                (null, null) => false,
                ({ } a, { } b) => !JsonElement.DeepEquals(a, b),
                _ => true,
            }),
    ];
}

/// <summary>What executing a plan changes: the case's new state, bookmarks re-pointed, and stale bookmarks withdrawn.</summary>
internal sealed record MigrationRewrite(InstanceState State, ImmutableArray<BookmarkMove> BookmarkMoves, ImmutableArray<string> WithdrawnBookmarkIds);
