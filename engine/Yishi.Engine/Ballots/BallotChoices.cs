using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace Yishi.Engine.Ballots;

/// <summary>
/// What one ballot chose, checked against the questions and packed into one canonical text (<c>q1=yes;q2=a,b</c>,
/// questions and options in the ballot's order). Canonical, so equal ballots pack equally and a tally groups them in
/// the database instead of reading every row. An unanswered question counts as abstaining: the voter still attended.
/// </summary>
public static class BallotChoices
{
    /// <summary>
    /// Reads <c>{"q1": "yes", "q2": ["a", "b"]}</c>; answers the packed text, or an error naming the question.
    /// </summary>
    public static (string? Packed, string? Error) Pack(JsonElement choices, IReadOnlyList<BallotQuestion> questions)
    {
        if (choices.ValueKind != JsonValueKind.Object)
        {
            return (null, "'choices' is an object from question id to the option chosen (or a list of options).");
        }

        var chosen = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var answer in choices.EnumerateObject())
        {
            var question = questions.FirstOrDefault(q => q.Id == answer.Name);
            if (question is null)
            {
                return (null, $"'{answer.Name}' is not a question of this ballot.");
            }

            var options = answer.Value.ValueKind switch
            {
                JsonValueKind.String => [answer.Value.GetString()!],
                JsonValueKind.Array when answer.Value.EnumerateArray().All(o => o.ValueKind == JsonValueKind.String) =>
                    answer.Value.EnumerateArray().Select(o => o.GetString()!).ToList(),
                _ => null,
            };
            if (options is null)
            {
                return (null, $"The answer to '{question.Id}' is an option id or a list of them.");
            }

            if (options.FirstOrDefault(o => !question.Options.Contains(o)) is { } unknown)
            {
                return (null, $"'{unknown}' is not an option of '{question.Id}'; the options are {string.Join(", ", question.Options)}.");
            }

            if (options.Distinct(StringComparer.Ordinal).Count() != options.Count)
            {
                return (null, $"An option of '{question.Id}' is chosen twice.");
            }

            if (options.Count > question.MaxChoices)
            {
                return (null, $"'{question.Id}' allows at most {question.MaxChoices} choice(s).");
            }

            if (!chosen.TryAdd(question.Id, options))
            {
                return (null, $"'{question.Id}' is answered twice.");
            }
        }

        var packed = new StringBuilder();
        foreach (var question in questions)
        {
            if (packed.Length > 0)
            {
                packed.Append(';');
            }

            packed.Append(question.Id).Append('=');
            if (chosen.TryGetValue(question.Id, out var options))
            {
                packed.AppendJoin(',', question.Options.Where(options.Contains));
            }
        }

        return (packed.ToString(), null);
    }

    /// <summary>The options a packed ballot chose, by question; an empty list is an abstention.</summary>
    public static ImmutableDictionary<string, ImmutableArray<string>> Unpack(string packed)
    {
        var result = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var part in packed.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var options = part[(equals + 1)..];
            result[part[..equals]] = options.Length == 0 ? [] : [.. options.Split(',')];
        }

        return result.ToImmutable();
    }
}
