using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Designer.Api;
using Yishi.Engine.Activities;
using Yishi.Engine.Definitions;
using Yishi.Engine.Expressions;
using Yishi.Engine.Validation;

namespace Yishi.Designer.Tests.Components;

/// <summary>
/// The engine's side of an editor test: the metadata the server serves for a property, and what the engine's parser and
/// validator say about a definition holding what the editor wrote. An editor passes only if the engine accepts its JSON.
/// </summary>
internal static class EngineCheck
{
    /// <summary>A property's metadata as <c>GET /api/activities</c> gives it to the designer.</summary>
    public static PropertyType Property(string activityType, string property)
    {
        var descriptor = ActivityRegistry.BuiltIn.Find(activityType)!.Descriptor;
        var type = JsonSerializer.Deserialize<ActivityType>(JsonSerializer.Serialize(descriptor, DesignerJson.Options), DesignerJson.Options)!;
        return type.Properties.Single(p => p.Name == property);
    }

    /// <summary>A small definition: start → the activity → end, by every outcome given.</summary>
    public static JsonObject Definition(JsonObject activity, IEnumerable<string> outcomes, JsonArray? variables = null)
    {
        var id = activity["id"]!.GetValue<string>();
        return new JsonObject
        {
            ["definitionId"] = "editor-check",
            ["name"] = "Editor check",
            ["variables"] = variables?.DeepClone() ?? new JsonArray(),
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start", ["properties"] = new JsonObject { ["trigger"] = "manual" } },
                activity,
                new JsonObject { ["id"] = "end", ["type"] = "End" }),
            ["connections"] = new JsonArray([
                new JsonObject { ["from"] = "start", ["to"] = id },
                .. outcomes.Select(o => (JsonNode)new JsonObject { ["from"] = id, ["to"] = "end", ["outcome"] = o }),
            ]),
        };
    }

    /// <summary>Every problem the engine finds in a definition, as publishing would.</summary>
    public static ImmutableArray<ValidationProblem> Problems(JsonObject definition)
    {
        var parsed = DefinitionParser.Parse(definition.ToJsonString());
        return parsed.Definition is null
            ? parsed.Problems
            : parsed.Problems.AddRange(new DefinitionValidator(ActivityRegistry.BuiltIn, new ExpressionEngine()).Validate(parsed.Definition, parsed.SourceMap));
    }

    /// <summary>The problems on one activity, as text for an assertion message.</summary>
    public static string[] ProblemsOn(JsonObject definition, string activityId) =>
        [.. Problems(definition).Where(p => p.ActivityId == activityId).Select(p => p.ToString())];
}
