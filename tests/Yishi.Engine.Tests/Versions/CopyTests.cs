using Yishi.Engine.Definitions;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Versions;

public sealed class CopyTests
{
    [Fact]
    public async Task Copy_ToNewId_CreatesFirstDraftOfTheCopy()
    {
        await using var engine = new TestEngine();
        await engine.PublishFileAsync("mediation.json");

        var copy = await engine.Runtime.Definitions.CopyAsync("mediation", 1, "mediation-pilot", TestEngine.Cancellation);

        Assert.True(copy.Succeeded);
        Assert.Equal(("mediation-pilot", 1, DefinitionStatus.Draft), (copy.Version!.DefinitionId, copy.Version.Version, copy.Version.Status));
        var (definition, problems) = DefinitionCheck.Run(copy.Version.Json);
        Assert.Equal("mediation-pilot", definition!.DefinitionId);
        Assert.Equal(10, definition.Activities.Length);
        Assert.DoesNotContain(problems, p => p.IsError);
        Assert.Equal(DefinitionStatus.Published, (await engine.Store.FindDefinitionAsync("mediation", 1, TestEngine.Cancellation))!.Status);
        var published = await engine.Runtime.Definitions.PublishAsync("mediation-pilot", TestEngine.Cancellation);
        Assert.True(published.Succeeded);
    }

    [Fact]
    public async Task Copy_ToIdInUse_IsRefused()
    {
        await using var engine = new TestEngine();
        await engine.PublishFileAsync("mediation.json");
        await engine.PublishFileAsync("approval.json");

        var copy = await engine.Runtime.Definitions.CopyAsync("mediation", 1, "approval", TestEngine.Cancellation);

        Assert.False(copy.Succeeded);
        Assert.Equal(ProblemCodes.IdInUse, Assert.Single(copy.Problems).Code);
        Assert.Single(await engine.Store.ListVersionsAsync("approval", TestEngine.Cancellation));
    }

    [Fact]
    public async Task Copy_UnknownVersion_IsRefused()
    {
        await using var engine = new TestEngine();
        await engine.PublishFileAsync("mediation.json");

        var copy = await engine.Runtime.Definitions.CopyAsync("mediation", 7, "mediation-7", TestEngine.Cancellation);

        Assert.False(copy.Succeeded);
        Assert.Empty(await engine.Store.ListVersionsAsync("mediation-7", TestEngine.Cancellation));
    }
}
