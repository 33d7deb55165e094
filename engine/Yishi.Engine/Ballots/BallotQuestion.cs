using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Yishi.Engine.Ballots;

/// <summary>
/// One question of a ballot: its text (plain or per language), the options (yes / no / abstain unless the ballot
/// names its own), and how many options a voter may choose (1 for single choice).
/// </summary>
/// <param name="Id">Unique within the ballot; what a vote names.</param>
/// <param name="Text">The question as JSON: a string or <c>{"zh-CN": "…", "en": "…"}</c>.</param>
/// <param name="Options">Option ids, in the order shown.</param>
/// <param name="Labels">Each option's label as JSON (a string or per language), by id.</param>
/// <param name="MaxChoices">How many options one ballot may choose.</param>
public sealed record BallotQuestion(string Id, JsonNode? Text, ImmutableArray<string> Options, ImmutableDictionary<string, JsonNode?> Labels, int MaxChoices)
{
    /// <summary>The options of a motion.</summary>
    public static readonly ImmutableArray<string> YesNoAbstain = ["yes", "no", "abstain"];

    /// <summary>Whether this is a motion (for / against / abstain), decided by the share of "yes".</summary>
    public bool IsMotion => Options.Contains("yes");

    /// <summary>Reads the <c>questions</c> property; problems go to <paramref name="report"/> with their JSON pointer inside it.</summary>
    public static ImmutableArray<BallotQuestion> ReadList(JsonElement? questions, JsonNode? title, Action<string, string> report)
    {
        if (questions is not { } list)
        {
            // Most ballots ask one thing: the matter in the title, for or against.
            return [new BallotQuestion("q1", title, YesNoAbstain, ImmutableDictionary<string, JsonNode?>.Empty, 1)];
        }

        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            report("", "'questions' is a non-empty list of {\"id\", \"text\", \"options\"?, \"maxChoices\"?}.");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<BallotQuestion>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = $"/{index++}";
            if (Read(item, at, report) is not { } question)
            {
                continue;
            }

            if (!ids.Add(question.Id))
            {
                report(at + "/id", $"The question id '{question.Id}' is used twice.");
                continue;
            }

            result.Add(question);
        }

        return result.ToImmutable();
    }

    private static BallotQuestion? Read(JsonElement item, string at, Action<string, string> report)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || !IsId(id.GetString()!))
        {
            report(at, "Each question has an 'id' of letters, digits, '-' or '_' (at most 32) and a 'text'.");
            return null;
        }

        if (!item.TryGetProperty("text", out var text) || text.ValueKind is not (JsonValueKind.String or JsonValueKind.Object))
        {
            report(at + "/text", "The question needs a 'text': a string or {\"zh-CN\": \"…\", \"en\": \"…\"}.");
            return null;
        }

        var options = YesNoAbstain;
        var labels = ImmutableDictionary.CreateBuilder<string, JsonNode?>(StringComparer.Ordinal);
        if (item.TryGetProperty("options", out var given))
        {
            var read = ReadOptions(given, at + "/options", labels, report);
            if (read is null)
            {
                return null;
            }

            options = read.Value;
        }

        var max = 1;
        if (item.TryGetProperty("maxChoices", out var maxChoices)
            && (maxChoices.ValueKind != JsonValueKind.Number || !maxChoices.TryGetInt32(out max) || max < 1 || max > options.Length))
        {
            report(at + "/maxChoices", $"'maxChoices' is a whole number from 1 to the number of options ({options.Length}).");
            return null;
        }

        if (max > 1 && options.Contains("yes"))
        {
            // One ballot both for and against a motion would count on both sides.
            report(at + "/maxChoices", "A motion (an option 'yes') takes one choice: for, against or abstain.");
            return null;
        }

        return new BallotQuestion(id.GetString()!, JsonNode.Parse(text.GetRawText()), options, labels.ToImmutable(), max);
    }

    private static ImmutableArray<string>? ReadOptions(JsonElement given, string at, ImmutableDictionary<string, JsonNode?>.Builder labels, Action<string, string> report)
    {
        if (given.ValueKind != JsonValueKind.Array || given.GetArrayLength() < 2)
        {
            report(at, "'options' is a list of at least two options: ids, or {\"id\", \"text\"}.");
            return null;
        }

        var options = ImmutableArray.CreateBuilder<string>();
        var index = 0;
        foreach (var option in given.EnumerateArray())
        {
            var (optionId, label) = option.ValueKind switch
            {
                JsonValueKind.String => (option.GetString(), (JsonNode?)null),
                JsonValueKind.Object when option.TryGetProperty("id", out var oid) && oid.ValueKind == JsonValueKind.String =>
                    (oid.GetString(), option.TryGetProperty("text", out var t) ? JsonNode.Parse(t.GetRawText()) : null),
                _ => (null, null),
            };
            if (optionId is null || !IsId(optionId) || options.Contains(optionId))
            {
                report($"{at}/{index}", "Each option has a distinct id of letters, digits, '-' or '_' (at most 32).");
                return null;
            }

            options.Add(optionId);
            labels[optionId] = label;
            index++;
        }

        return options.ToImmutable();
    }

    /// <summary>Ids are short and plain, so a vote's choices pack into one short text (<see cref="BallotChoices"/>).</summary>
    public static bool IsId(string text) =>
        text.Length is > 0 and <= 32 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The question as JSON for the people who vote and the API.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["text"] = Text?.DeepClone(),
        ["options"] = new JsonArray([.. Options.Select(o => (JsonNode)new JsonObject { ["id"] = o, ["text"] = Labels.GetValueOrDefault(o)?.DeepClone() })]),
        ["maxChoices"] = MaxChoices,
    };

    /// <summary>Reads a question back from <see cref="ToJson"/>.</summary>
    public static BallotQuestion FromJson(JsonObject json)
    {
        var options = json["options"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).ToImmutableArray();
        var labels = json["options"]!.AsArray().Where(o => o!["text"] is not null)
            .ToImmutableDictionary(o => o!["id"]!.GetValue<string>(), o => o!["text"]!.DeepClone(), StringComparer.Ordinal);
        return new BallotQuestion(json["id"]!.GetValue<string>(), json["text"]?.DeepClone(), options, labels!, json["maxChoices"]?.GetValue<int>() ?? 1);
    }
}
