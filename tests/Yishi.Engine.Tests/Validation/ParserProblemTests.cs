using Yishi.Engine.Definitions;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Validation;

public sealed class ParserProblemTests
{
    [Fact]
    public void Parse_MalformedJson_ReportsLineAndColumn()
    {
        const string json = "{\n  \"definitionId\": \"broken\",\n  \"name\": ,\n  \"activities\": []\n}";

        var (definition, problems) = DefinitionCheck.Run(json);

        Assert.Null(definition);
        var problem = Assert.Single(problems);
        Assert.Equal(ProblemCodes.MalformedJson, problem.Code);
        Assert.True(problem.IsError);
        Assert.Equal(new SourcePosition(3, 11), problem.Position);
        Assert.Equal(TextPosition.Of(json, ",\n  \"activities\""), problem.Position);
        Assert.Equal("", problem.Path);
    }

    [Fact]
    public void Parse_MalformedJsonAfterChineseText_CountsColumnsInCharacters()
    {
        const string json = "{ \"name\": \"调解\" \"definitionId\": \"x\" }";

        var problem = Assert.Single(DefinitionCheck.Problems(json));

        Assert.Equal(ProblemCodes.MalformedJson, problem.Code);
        Assert.Equal(TextPosition.Of(json, "\"definitionId\""), problem.Position);
    }

    [Fact]
    public void Parse_TruncatedDocument_ReportsMalformedJson()
    {
        var json = DefinitionFiles.Read("approval.json")[..200];

        var problem = Assert.Single(DefinitionCheck.Problems(json));

        Assert.Equal(ProblemCodes.MalformedJson, problem.Code);
        Assert.NotNull(problem.Position);
    }

    [Fact]
    public void Parse_DocumentOverMaxBytes_ReportsTooLarge()
    {
        var json = DefinitionFiles.Read("approval.json");

        var problem = Assert.Single(DefinitionCheck.Problems(json, new DefinitionLimits { MaxBytes = 512 }));

        Assert.Equal(ProblemCodes.TooLarge, problem.Code);
        Assert.Equal("", problem.Path);
        Assert.Contains("512", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_DocumentOverRuntimeMaxBytes_IsRefused()
    {
        await using var engine = new TestEngine(new WorkflowRuntimeOptions { DefinitionLimits = new DefinitionLimits { MaxBytes = 512 } });

        var result = await engine.Runtime.Definitions.PublishDocumentAsync(DefinitionFiles.Read("approval.json"), TestEngine.Cancellation);

        Assert.False(result.Succeeded);
        Assert.Equal(ProblemCodes.TooLarge, Assert.Single(result.Problems).Code);
    }

    [Fact]
    public void Parse_MoreActivitiesThanMaxActivities_ReportsTooManyActivities()
    {
        var json = DefinitionFiles.Read("fork-join-all.json");

        var problem = DefinitionCheck.Single(json, ProblemCodes.TooManyActivities, new DefinitionLimits { MaxActivities = 5 });

        Assert.Equal("/activities", problem.Path);
        // A list or an object is located by its key.
        Assert.Equal(TextPosition.Of(json, "\"activities\""), problem.Position);
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAccepted()
    {
        var json = DefinitionFiles.Read("mediation.json");

        var (definition, problems) = DefinitionCheck.Run(json);

        Assert.NotNull(definition);
        Assert.DoesNotContain(problems, p => p.IsError);
        Assert.Equal(10, definition.Activities.Length);
    }

    [Fact]
    public void Parse_Layout_IsReadButChangesNothing()
    {
        var json = DefinitionFiles.Read("mediation.json");
        var withoutLayout = json.Replace("""  "layout": { "start": { "x": 0, "y": 0 }, "closed": { "x": 600, "y": 0 } },""", "", StringComparison.Ordinal);

        var (withLayoutDefinition, withLayoutProblems) = DefinitionCheck.Run(json);
        var (plain, plainProblems) = DefinitionCheck.Run(withoutLayout);

        Assert.Equal(2, withLayoutDefinition!.Layout.Count);
        Assert.Equal(new LayoutPosition(600, 0), withLayoutDefinition.Layout["closed"]);
        Assert.Empty(plain!.Layout);
        Assert.Equal(plain.Activities.Select(a => (a.Id, a.Type, a.Properties.Count)), withLayoutDefinition.Activities.Select(a => (a.Id, a.Type, a.Properties.Count)));
        Assert.Equal(plain.Connections, withLayoutDefinition.Connections);
        Assert.Equal(plainProblems.Select(p => p.Code), withLayoutProblems.Select(p => p.Code));
    }

    [Fact]
    public void Parse_BadLayoutPosition_IsOnlyAWarning()
    {
        var json = DefinitionFiles.Read("fork-join-all.json").Replace("\"connections\"", "\"layout\": { \"start\": \"top left\" },\n  \"connections\"", StringComparison.Ordinal);

        var problem = DefinitionCheck.Single(json, ProblemCodes.WrongType);

        Assert.False(problem.IsError);
        Assert.Equal("/layout/start", problem.Path);
        Assert.Equal(TextPosition.Of(json, "\"top left\""), problem.Position);
    }

    [Theory]
    [InlineData("[]", ProblemCodes.WrongType, "")]
    [InlineData("""{ "name": "x", "activities": [] }""", ProblemCodes.MissingField, "")]
    [InlineData("""{ "definitionId": "has space", "name": "x", "activities": [] }""", ProblemCodes.InvalidId, "/definitionId")]
    [InlineData("""{ "definitionId": "x", "name": 5, "activities": [] }""", ProblemCodes.WrongType, "/name")]
    [InlineData("""{ "definitionId": "x", "name": "x", "activities": {} }""", ProblemCodes.WrongType, "/activities")]
    [InlineData("""{ "definitionId": "x", "name": "x", "activities": [ { "type": "Start" } ] }""", ProblemCodes.MissingField, "/activities/0")]
    [InlineData("""{ "definitionId": "x", "name": "x", "activities": [], "connections": [ { "from": "a" } ] }""", ProblemCodes.MissingField, "/connections/0")]
    [InlineData("""{ "definitionId": "x", "name": "x", "variables": [ { "name": "1st" } ], "activities": [] }""", ProblemCodes.InvalidVariableName, "/variables/0/name")]
    [InlineData("""{ "definitionId": "x", "name": "x", "variables": [ { "name": "a", "type": "money" } ], "activities": [] }""", ProblemCodes.WrongType, "/variables/0/type")]
    public void Parse_WrongShape_ReportsProblemAtItsPath(string json, string code, string path)
    {
        var problem = DefinitionCheck.Single(json, code);

        Assert.True(problem.IsError);
        Assert.Equal(path, problem.Path);
        Assert.NotNull(problem.Position);
    }
}
