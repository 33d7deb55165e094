using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Definitions;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Execution;

/// <summary>Checks start input against the declared variables and builds the initial variables.</summary>
internal static class StartInput
{
    public static ImmutableArray<ValidationProblem> Check(WorkflowDefinition definition, JsonObject? input)
    {
        var problems = ImmutableArray.CreateBuilder<ValidationProblem>();
        var declared = definition.Variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
        foreach (var (name, value) in input ?? [])
        {
            if (!declared.TryGetValue(name, out var variable))
            {
                problems.Add(ValidationProblem.Error(ProblemCodes.InputUnknown, $"'{name}' is not a variable of '{definition.DefinitionId}'.") with { Property = name });
            }
            else if (value is not null && !Fits(variable.Type, value))
            {
                problems.Add(ValidationProblem.Error(ProblemCodes.InputWrongType, $"'{name}' must be of type {variable.Type.ToString().ToLowerInvariant()}.") with { Property = name });
            }
        }

        foreach (var variable in definition.Variables.Where(v => v.Required))
        {
            if (input?[variable.Name] is null)
            {
                problems.Add(ValidationProblem.Error(ProblemCodes.InputMissing, $"'{variable.Name}' is required to start '{definition.DefinitionId}'.") with { Property = variable.Name });
            }
        }

        return problems.ToImmutable();
    }

    public static JsonObject InitialVariables(WorkflowDefinition definition, JsonObject? input)
    {
        var variables = new JsonObject();
        foreach (var variable in definition.Variables)
        {
            variables[variable.Name] = input?[variable.Name]?.DeepClone() ?? (variable.Default is { } value ? JsonNode.Parse(value.GetRawText()) : null);
        }

        return variables;
    }

    private static bool Fits(VariableType type, JsonNode value) => type switch
    {
        VariableType.String => value.GetValueKind() == JsonValueKind.String,
        VariableType.Number => value.GetValueKind() == JsonValueKind.Number,
        VariableType.Boolean => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        VariableType.DateTime => value.GetValueKind() == JsonValueKind.String &&
                                 DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _),
        VariableType.Object => value is JsonObject,
        VariableType.Array => value is JsonArray,
        _ => true,
    };
}
