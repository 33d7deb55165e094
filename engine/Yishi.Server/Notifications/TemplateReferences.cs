using System.Collections.Immutable;
using System.Text.Json;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Engine.Notifications.Templates;
using Yishi.Engine.Validation;

namespace Yishi.Server.Notifications;

/// <summary>
/// The checks on a workflow's templates that only the server can make, because templates live in its database:
/// a Notify or Document naming a template that does not exist is an error (the message would never be sent), and
/// a template reading a name the workflow does not declare is a warning, with the template's line and column.
/// </summary>
internal sealed class TemplateReferences(TemplateCatalog catalog, TemplateRenderer renderer)
{
    public const string UnknownTemplate = "template.unknown";

    public async Task<ImmutableArray<ValidationProblem>> ProblemsAsync(string json, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            // The engine's own check reports malformed JSON with its position.
            return [];
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("activities", out var activities) || activities.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var declared = root.TryGetProperty("variables", out var variables) && variables.ValueKind == JsonValueKind.Array
                ? variables.EnumerateArray().Select(v => v.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "").ToHashSet(StringComparer.Ordinal)
                : [];
            var problems = ImmutableArray.CreateBuilder<ValidationProblem>();
            var index = 0;
            foreach (var activity in activities.EnumerateArray())
            {
                await CheckAsync(activity, index++, declared, problems, cancellationToken);
            }

            return problems.ToImmutable();
        }
    }

    private async Task CheckAsync(JsonElement activity, int index, HashSet<string> declared, ImmutableArray<ValidationProblem>.Builder problems, CancellationToken cancellationToken)
    {
        if (activity.ValueKind != JsonValueKind.Object
            || !activity.TryGetProperty("type", out var type) || type.GetString() is not (NotifyActivity.TypeName or DocumentActivity.TypeName)
            || !activity.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object
            || !properties.TryGetProperty("template", out var template) || template.ValueKind != JsonValueKind.String)
        {
            return;
        }

        var id = activity.TryGetProperty("id", out var activityId) ? activityId.GetString() : null;
        var key = template.GetString()!;
        var pointer = $"/activities/{index}/properties/template";
        var found = false;
        foreach (var locale in TemplateCatalog.Fallbacks("zh-CN"))
        {
            if (await catalog.LatestAsync(key, locale, cancellationToken) is not { } pinned || pinned.Locale != locale)
            {
                continue;
            }

            found = true;
            foreach (var read in pinned.Template.UndeclaredReads(declared, renderer.IsFunction))
            {
                problems.Add(ValidationProblem.Warning(ProblemCodes.UnknownVariable,
                    $"templates/{key}/{locale}.scriban({read.Line},{read.Column}): {read.Message}") with { ActivityId = id, Property = "template", Path = pointer });
            }
        }

        if (!found)
        {
            problems.Add(ValidationProblem.Error(UnknownTemplate,
                $"There is no template '{key}'. Add templates/{key}/zh-CN.scriban (and en.scriban), or write it with POST /api/templates.") with { ActivityId = id, Property = "template", Path = pointer });
        }
    }
}
