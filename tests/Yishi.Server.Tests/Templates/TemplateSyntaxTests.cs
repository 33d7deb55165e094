using Yishi.Server.Templates;

namespace Yishi.Server.Tests.Templates;

/// <summary>A broken template is reported where it is broken.</summary>
public sealed class TemplateSyntaxTests
{
    [Fact]
    public void UnclosedBlock_OnLineTwo_IsReportedOnLineTwo()
    {
        var errors = TemplateSyntax.Check("您好，\n{{ for x in items }} {{ x }}\n");

        var error = Assert.Single(errors);
        Assert.True(error.Line >= 2, $"reported at {error}");
    }

    [Fact]
    public void BadExpression_PointsAtItsColumn()
    {
        var error = Assert.Single(TemplateSyntax.Check("第一行\n第二行 {{ 1 + }}"));

        Assert.Equal(2, error.Line);
        Assert.InRange(error.Column, 5, 14);
    }

    [Fact]
    public void ValidTemplate_HasNoErrors() =>
        Assert.Empty(TemplateSyntax.Check("{{ recipient.name }}，您的申请已受理。"));
}
