using System.Collections.Immutable;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Engine.Definitions;
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

    /// <summary>The variable names a definition declares, read by the engine's own parser; null when it cannot be read.</summary>
    public static IReadOnlySet<string>? Declared(WorkflowDefinition? definition) =>
        definition?.Variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);

    public async Task<ImmutableArray<ValidationProblem>> ProblemsAsync(string json, CancellationToken cancellationToken)
    {
        // A definition the parser cannot read is reported by the engine's own check, with its position.
        var parsed = DefinitionParser.Parse(json);
        if (parsed.Definition is not { } definition)
        {
            return [];
        }

        var declared = Declared(definition)!;
        var problems = ImmutableArray.CreateBuilder<ValidationProblem>();
        for (var index = 0; index < definition.Activities.Length; index++)
        {
            var activity = definition.Activities[index];
            if (activity.Type is (NotifyActivity.TypeName or DocumentActivity.TypeName) && activity.Property("template") is { ValueKind: System.Text.Json.JsonValueKind.String } key)
            {
                var pointer = $"/activities/{index}/properties/template";
                await CheckAsync(activity.Id, key.GetString()!, pointer, parsed.SourceMap?.Find(pointer), declared, problems, cancellationToken);
            }
        }

        return problems.ToImmutable();
    }

    private async Task CheckAsync(string activityId, string key, string pointer, SourcePosition? position, IReadOnlySet<string> declared,
        ImmutableArray<ValidationProblem>.Builder problems, CancellationToken cancellationToken)
    {
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
                problems.Add(ValidationProblem.Warning(ProblemCodes.UnknownVariable, $"templates/{key}/{locale}.scriban({read.Line},{read.Column}): {read.Message}")
                    with { ActivityId = activityId, Property = "template", Path = pointer, Position = position });
            }
        }

        if (!found)
        {
            problems.Add(ValidationProblem.Error(UnknownTemplate,
                $"There is no template '{key}'. Add templates/{key}/zh-CN.scriban (and en.scriban), or write it with POST /api/templates.")
                with { ActivityId = activityId, Property = "template", Path = pointer, Position = position });
        }
    }
}
