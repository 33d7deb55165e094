using System.Text.Json.Nodes;

namespace Yishi.Designer.Workbench.Ballots;

/// <summary>A ballot's question as the paper-ballot form shows it: its text and options in the reader's language.</summary>
public sealed record PaperQuestion(string Id, string Text, IReadOnlyList<(string Id, string Label)> Options, int MaxChoices);

/// <summary>Reads a ballot's <c>questions</c> (as the workflow wrote them) for the paper-ballot form.</summary>
public static class PaperQuestions
{
    public static IReadOnlyList<PaperQuestion> Read(JsonNode? questions, PageText text)
    {
        if (questions is not JsonArray list)
        {
            return [];
        }

        var read = new List<PaperQuestion>();
        foreach (var item in list.OfType<JsonObject>())
        {
            var id = item["id"]?.GetValue<string>() ?? "";
            // A motion's options come without labels (the server stores them as {"id": "yes", "text": null}): they are named here.
            var options = item["options"] is JsonArray given
                ? given.Select(o => o is JsonObject option
                    ? (option["id"]?.GetValue<string>() ?? "", Localized(option["text"], text) ?? Named(option["id"]?.GetValue<string>() ?? "", text))
                    : (o!.GetValue<string>(), Named(o.GetValue<string>(), text))).ToList()
                : [("yes", Named("yes", text)), ("no", Named("no", text)), ("abstain", Named("abstain", text))];
            read.Add(new PaperQuestion(id, Localized(item["text"], text) ?? id, options, item["maxChoices"]?.GetValue<int>() ?? 1));
        }

        return read;
    }

    /// <summary>The words for a motion's options; any other option is shown by its id when it has no label.</summary>
    private static string Named(string option, PageText text) => option switch
    {
        "yes" => text.T("赞成", "For"),
        "no" => text.T("反对", "Against"),
        "abstain" => text.T("弃权", "Abstain"),
        _ => option,
    };

    /// <summary>A text written as a string or per language.</summary>
    public static string? Localized(JsonNode? node, PageText text) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var plain) => plain,
        JsonObject perLanguage => perLanguage[text.Locale]?.GetValue<string>() ?? perLanguage.FirstOrDefault().Value?.GetValue<string>(),
        _ => null,
    };
}
