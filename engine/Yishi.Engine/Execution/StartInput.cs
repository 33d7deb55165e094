using System.Collections.Immutable;
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
            else if (value is not null && !variable.Accepts(value))
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
}
