using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Yishi.Engine.Expressions;

namespace Yishi.Engine.Ballots;

/// <summary>How one question came out.</summary>
/// <param name="Id">The question.</param>
/// <param name="Counts">Ballots per option (a multiple-choice ballot counts once for each option it chose).</param>
/// <param name="Blank">Ballots that answered nothing to it (they count as attending and abstaining).</param>
/// <param name="Carried">The options that reached the decision share: "yes" for a motion that passed.</param>
/// <param name="Options">The options in the ballot's order, the order the counts are shown in.</param>
public sealed record QuestionResult(string Id, ImmutableDictionary<string, int> Counts, int Blank, ImmutableArray<string> Carried, ImmutableArray<string> Options = default)
{
    /// <summary>The counts in the ballot's order of options.</summary>
    public IEnumerable<KeyValuePair<string, int>> OrderedCounts =>
        Options.IsDefault ? Counts.OrderBy(c => c.Key, StringComparer.Ordinal) : Options.Select(o => KeyValuePair.Create(o, Counts.GetValueOrDefault(o)));

    /// <summary>Whether the question was decided: a motion passed, or at least one option carried.</summary>
    public bool Passed => !Carried.IsEmpty;
}

/// <summary>A closed ballot's count and outcome.</summary>
public sealed record BallotResult(BallotOutcome Outcome, int Electorate, int Attendees, ImmutableArray<QuestionResult> Questions)
{
    /// <summary>The outcome as the activity's outcome port names it.</summary>
    public string OutcomeName => BallotOutcomes.Name(Outcome);

    /// <summary>The result as JSON, for the workflow's variables, the API and the result notice.</summary>
    public JsonObject ToJson() => new()
    {
        ["outcome"] = OutcomeName,
        ["electorate"] = Electorate,
        ["attendees"] = Attendees,
        ["turnout"] = Electorate == 0 ? 0 : Math.Round(100.0 * Attendees / Electorate, 1),
        ["questions"] = new JsonArray([.. Questions.Select(q => (JsonNode)new JsonObject
        {
            ["id"] = q.Id,
            ["counts"] = new JsonObject(q.OrderedCounts.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
            ["blank"] = q.Blank,
            ["carried"] = new JsonArray([.. q.Carried.Select(c => (JsonNode)c)]),
            ["passed"] = q.Passed,
        })]),
    };
}

/// <summary>Outcome names as the Ballot activity's ports spell them.</summary>
public static class BallotOutcomes
{
    /// <summary>The ports.</summary>
    public static readonly ImmutableArray<string> All = ["passed", "rejected", "no_quorum"];

    /// <summary><c>passed</c>, <c>rejected</c> or <c>no_quorum</c>.</summary>
    public static string Name(BallotOutcome outcome) => outcome switch
    {
        BallotOutcome.Passed => "passed",
        BallotOutcome.Rejected => "rejected",
        _ => "no_quorum",
    };
}

/// <summary>
/// Decides a ballot from its count: quorum first (too few attendees and nothing else matters), then each question by
/// the decision share of the attendees. A ballot passes when every question is decided (a motion's "yes" carried, or an
/// option of a choice carried). The rule is a statutory preset or, for a custom rule, two expressions over
/// <c>electorate</c>, <c>attendees</c>, <c>yes</c>, <c>no</c> and <c>abstain</c> (for a choice, <c>yes</c> is the
/// option's count and <c>no</c> the other ballots').
/// </summary>
public sealed class BallotJudge(BallotRule? preset, string? customQuorum, string? customDecision, ExpressionEngine expressions)
{
    /// <summary>The names a custom decision may read.</summary>
    public static readonly ImmutableHashSet<string> Names = ["electorate", "attendees", "yes", "no", "abstain"];

    /// <summary>The names a custom quorum may read: it is judged before any vote is looked at.</summary>
    public static readonly ImmutableHashSet<string> QuorumNames = ["electorate", "attendees"];

    /// <summary>Counts grouped packed ballots (<see cref="BallotChoices"/>) and decides.</summary>
    public BallotResult Decide(IReadOnlyList<BallotQuestion> questions, IEnumerable<(string Packed, int Count)> groups, int electorate, DateTimeOffset now)
    {
        var counts = questions.ToDictionary(q => q.Id, q => q.Options.ToDictionary(o => o, _ => 0, StringComparer.Ordinal), StringComparer.Ordinal);
        var blank = questions.ToDictionary(q => q.Id, _ => 0, StringComparer.Ordinal);
        var attendees = 0;
        foreach (var (packed, count) in groups)
        {
            attendees += count;
            var chosen = BallotChoices.Unpack(packed);
            foreach (var question in questions)
            {
                if (!chosen.TryGetValue(question.Id, out var options) || options.IsEmpty)
                {
                    blank[question.Id] += count;
                    continue;
                }

                foreach (var option in options)
                {
                    if (counts[question.Id].ContainsKey(option))
                    {
                        counts[question.Id][option] += count;
                    }
                }
            }
        }

        var quorum = Quorum(new Tally(electorate, attendees, 0, 0, 0), now);
        var results = questions.Select(q => Judge(q, counts[q.Id], blank[q.Id], electorate, attendees, quorum, now)).ToImmutableArray();
        var outcome = !quorum ? BallotOutcome.NoQuorum : results.All(r => r.Passed) ? BallotOutcome.Passed : BallotOutcome.Rejected;
        return new BallotResult(outcome, electorate, attendees, results);
    }

    private QuestionResult Judge(BallotQuestion question, Dictionary<string, int> counts, int blank, int electorate, int attendees, bool quorum, DateTimeOffset now)
    {
        var carried = ImmutableArray<string>.Empty;
        if (quorum)
        {
            var candidates = question.IsMotion ? ["yes"] : question.Options.Where(o => o != "abstain");
            carried = [.. candidates.Where(option =>
            {
                var yes = counts[option];
                var abstain = blank + counts.GetValueOrDefault("abstain");
                var no = question.IsMotion ? counts.GetValueOrDefault("no") : attendees - yes - abstain;
                return Carries(new Tally(electorate, attendees, yes, no, abstain), now);
            })];
        }

        return new QuestionResult(question.Id, counts.ToImmutableDictionary(StringComparer.Ordinal), blank, carried, question.Options);
    }

    private bool Quorum(Tally tally, DateTimeOffset now) => tally.Attendees > 0 &&
        (preset is { } rule ? rule.Quorum.ReachedBy(tally.Attendees, tally.Electorate) : Evaluate(customQuorum, tally, now));

    private bool Carries(Tally tally, DateTimeOffset now) =>
        preset is { } rule ? rule.Decision.ReachedBy(tally.Yes, tally.Attendees) : Evaluate(customDecision, tally, now);

    private bool Evaluate(string? expression, Tally tally, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return true;
        }

        var scope = new JsonObject
        {
            ["electorate"] = tally.Electorate,
            ["attendees"] = tally.Attendees,
            ["yes"] = tally.Yes,
            ["no"] = tally.No,
            ["abstain"] = tally.Abstain,
        };
        var result = expressions.Evaluate(expression, new ExpressionScope(scope, null, null, null, now));
        if (result.Error is { } error)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The ballot's custom rule failed: {error.Message}"));
        }

        return result.Value is JsonValue value && value.TryGetValue<bool>(out var passed)
            ? passed
            : throw new InvalidOperationException($"The ballot's custom rule '{expression}' must give true or false, but gave {result.Value?.ToJsonString() ?? "null"}.");
    }
}
