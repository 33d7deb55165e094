using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Yishi.Designer.Canvas;
using Yishi.Designer.Components.Editors;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Engine.Ballots;

namespace Yishi.Designer.Tests.Components;

/// <summary>A ballot's rule is chosen among the statutory presets, each explained in plain words from the engine's own rule.</summary>
public sealed class BallotRuleEditorTests : BunitContext
{
    public BallotRuleEditorTests()
    {
        Services.AddMudServices();
        Services.AddScoped<PageText>();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static WorkflowDocument Workflow(string mode) => new(new JsonObject
    {
        ["definitionId"] = "vote",
        ["activities"] = new JsonArray(new JsonObject { ["id"] = "vote", ["type"] = "Ballot", ["properties"] = new JsonObject { ["mode"] = mode } }),
    });

    private IRenderedComponent<PropertyHost> RenderRule(string? rule, WorkflowDocument? document = null) =>
        Render<PropertyHost>(p => p
            .Add(e => e.Property, EngineCheck.Property("Ballot", "rule"))
            .Add(e => e.ActivityId, "vote")
            .Add(e => e.Document, document)
            .Add(e => e.Value, rule is null ? null : JsonValue.Create(rule)));

    [Fact]
    public void EveryRuleTheEngineOffers_IsARadioButton_AndChoosingOneWritesItsName()
    {
        var editor = RenderRule(null);

        Assert.Equal([.. BallotActivity.Rules], editor.FindAll("input[type=radio]").Select(r => r.GetAttribute("value")));
        editor.Find("#prop-vote-rule-villagers-assembly").Change(true);

        Assert.Equal("villagers-assembly", editor.Instance.Current!.GetValue<string>());
        Assert.True(editor.Find("#prop-vote-rule-villagers-assembly").HasAttribute("checked"));
        var ballot = new JsonObject
        {
            ["id"] = "vote",
            ["type"] = "Ballot",
            ["properties"] = new JsonObject
            {
                ["title"] = "修订村规民约",
                ["rule"] = editor.Instance.Current!.DeepClone(),
                ["notice"] = new JsonObject { ["days"] = 10 },
                ["votingPeriod"] = new JsonObject { ["days"] = 3 },
            },
        };
        Assert.Empty(EngineCheck.ProblemsOn(EngineCheck.Definition(ballot, BallotOutcomes.All), "vote"));
    }

    [Fact]
    public void TheVillagersAssembly_IsExplainedWithTheStatutesNumbersAndSource()
    {
        var rule = BallotRule.For("villagers-assembly", ElectorateMode.Person)!;
        var editor = RenderRule("villagers-assembly", Workflow("person"));

        Assert.Contains("年满十八周岁的村民", editor.Find("[data-test=ballot-voters]").TextContent, StringComparison.Ordinal);
        Assert.Equal("过半数的年满十八周岁的村民参加投票，表决才有效。", editor.Find("[data-test=ballot-quorum]").TextContent);
        Assert.Equal("参加投票的人中过半数赞成即通过（弃权也算参加）。", editor.Find("[data-test=ballot-decision]").TextContent);
        Assert.Equal($"投票开始前至少提前 {rule.MinimumNoticeDays} 天公告。", editor.Find("[data-test=ballot-notice]").TextContent);
        Assert.Equal(rule.Source.Get("zh-CN"), editor.Find("[data-test=ballot-source]").TextContent);
        Assert.Empty(editor.FindAll("[data-test=ballot-quorum-household]"));
    }

    [Fact]
    public void WhenHouseholdsVote_TheQuorumIsTwoThirds_AsTheEngineCounts()
    {
        var editor = RenderRule("villagers-assembly", Workflow("household"));

        Assert.Equal("三分之二以上的户代表参加投票，表决才有效。", editor.Find("[data-test=ballot-quorum]").TextContent);
        Assert.Contains("每户一票", editor.Find("[data-test=ballot-voters]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheWorkflow_TheExplanationSaysWhereHouseholdsDiffer()
    {
        var editor = RenderRule("villagers-assembly");

        Assert.Contains("三分之二以上的户代表", editor.Find("[data-test=ballot-quorum-household]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void InEnglish_TheSameRuleIsExplainedInEnglish()
    {
        Services.GetRequiredService<PageText>().Switch(PageText.English);
        var rule = BallotRule.For("village-representatives", ElectorateMode.Representatives)!;

        var editor = RenderRule("village-representatives", Workflow("representatives"));

        Assert.Equal("Two-thirds or more of the village representatives must take part for the vote to count.", editor.Find("[data-test=ballot-quorum]").TextContent);
        Assert.Equal("It passes when more than half of those who voted say yes (abstaining counts as voting).", editor.Find("[data-test=ballot-decision]").TextContent);
        Assert.StartsWith("The law sets no minimum notice", editor.Find("[data-test=ballot-notice]").TextContent, StringComparison.Ordinal);
        Assert.Equal(rule.Source.Get("en"), editor.Find("[data-test=ballot-source]").TextContent);
    }

    [Fact]
    public void APresetWithoutQuorum_SaysSo_AndCustomPointsToItsExpressions()
    {
        var majority = RenderRule("simple-majority", Workflow("person"));
        Assert.Equal("不设法定人数：有人投票即有效。", majority.Find("[data-test=ballot-quorum]").TextContent);

        var custom = RenderRule("custom", Workflow("person"));
        Assert.Contains("自定义：通过条件", custom.Find("[data-test=ballot-rule-explained]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWordsFollowTheShare_NotACopyOfTheNumbers()
    {
        var text = new PageText();

        Assert.Equal("过半数", BallotRuleWords.Share(Share.MoreThanHalf, text));
        Assert.Equal("三分之二以上", BallotRuleWords.Share(Share.TwoThirdsOrMore, text));
        Assert.Equal("3/4 以上", BallotRuleWords.Share(new Share(3, 4, Inclusive: true), text));
        Assert.Equal("超过 3/5", BallotRuleWords.Share(new Share(3, 5, Inclusive: false), text));
        // Every preset the engine knows has words, and its notice line carries the engine's number.
        foreach (var preset in BallotRule.Presets)
        {
            var rule = BallotRule.For(preset, ElectorateMode.Person)!;
            var explained = BallotRuleWords.Explain(preset, ElectorateMode.Person, text)!;
            Assert.NotEqual(preset, explained.Name);
            Assert.Equal(rule.MinimumNoticeDays is not null, explained.Notice.Contains($" {rule.MinimumNoticeDays} 天", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EveryRadio_HasALabel()
    {
        var editor = RenderRule("two-thirds");

        foreach (var radio in editor.FindAll("input"))
        {
            Assert.NotEmpty(editor.FindAll($"label[for='{radio.Id}']"));
        }
    }
}
