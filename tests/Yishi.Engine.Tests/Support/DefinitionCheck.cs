using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;
using Yishi.Engine.Activities;
using Yishi.Engine.Definitions;
using Yishi.Engine.Expressions;
using Yishi.Engine.Persistence;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Support;

/// <summary>Parses and validates a definition document the way publishing does, without storing it.</summary>
public static class DefinitionCheck
{
    public static (WorkflowDefinition? Definition, ImmutableArray<ValidationProblem> Problems) Run(string json, DefinitionLimits? limits = null) =>
        new DefinitionCatalog(new InMemoryWorkflowStore(), ActivityRegistry.BuiltIn, new ExpressionEngine(), new FakeTimeProvider(TestEngine.Epoch), limits).Check(json);

    public static ImmutableArray<ValidationProblem> Problems(string json, DefinitionLimits? limits = null) => Run(json, limits).Problems;

    /// <summary>The one problem with <paramref name="code"/>.</summary>
    public static ValidationProblem Single(string json, string code, DefinitionLimits? limits = null)
    {
        var problems = Problems(json, limits);
        return Assert.Single(problems, p => p.Code == code);
    }

    /// <summary>A small definition; the parts given are pasted into an otherwise valid document.</summary>
    public static string Document(string activities, string connections, string variables = "[]") => $$"""
        {
          "definitionId": "check",
          "name": "Check",
          "variables": {{variables}},
          "activities": [
            {{activities}}
          ],
          "connections": [
            {{connections}}
          ]
        }
        """;
}
