using System.Text.Json.Nodes;
using Yishi.Designer.Api;
using Yishi.Designer.Workbench.Ballots;
using Yishi.Designer.Workbench.CaseFile;

namespace Yishi.Designer.Tests.Workbench;

/// <summary>What the workbench's case file and ballot pages read and say: Beijing time in and out, refusals led in plain words, ballot options named.</summary>
public sealed class CaseFileWordsTests
{
    [Fact]
    public void ADateTimeLocalValue_IsReadAsBeijingTime_WhateverTheServersZone()
    {
        var read = CaseFileWords.FromInput("2026-12-03T14:30");

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 6, 30, 0, TimeSpan.Zero), read);
        Assert.Equal("2026-12-03T14:30", CaseFileWords.ToInput(read!.Value));
        Assert.Equal("2026-12-03 14:30", CaseFileWords.Time(new DateTimeOffset(2026, 12, 3, 6, 30, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("next tuesday")]
    [InlineData("2026-13-40T25:00")]
    public void AnEmptyOrUnreadableTime_IsNull_SoTheServerNamesTheField(string? value) => Assert.Null(CaseFileWords.FromInput(value));

    [Fact]
    public void ARefusal_IsLedInTheReadersLanguage_AndKeepsTheServersDetail()
    {
        var text = new PageText();
        var refusal = new Refusal(415, "This type of file is not accepted", "Accepted: pdf, jpg.", []);

        Assert.StartsWith("不接受这种文件", CaseFileWords.Plain(text, refusal), StringComparison.Ordinal);
        Assert.EndsWith("Accepted: pdf, jpg.", CaseFileWords.Plain(text, refusal), StringComparison.Ordinal);
        text.Switch(PageText.English);
        Assert.StartsWith("This kind of file is not accepted", CaseFileWords.Plain(text, refusal), StringComparison.Ordinal);
    }

    [Fact]
    public void AFieldsProblem_IsFoundByItsProperty()
    {
        var refusal = new Refusal(400, "The session is not valid", null,
            [new Problem("error", "required", "'place' is required.", null, "place"), new Problem("error", "in-the-past", "'startsAt' is in the past.", null, "startsAt")]);

        Assert.Equal("'startsAt' is in the past.", CaseFileWords.Field(refusal, "startsAt"));
        Assert.Null(CaseFileWords.Field(refusal, "note"));
        Assert.Null(CaseFileWords.Field(null, "place"));
    }

    [Fact]
    public void AMotionsOptions_AreNamed_AndAChoiceQuestionKeepsItsLabels()
    {
        var questions = JsonNode.Parse("""
            [
              { "id": "q1", "text": { "zh-CN": "修建停车场", "en": "A car park" }, "options": [ { "id": "yes", "text": null }, { "id": "no", "text": null }, { "id": "abstain", "text": null } ] },
              { "id": "q2", "text": "选址", "options": [ { "id": "east", "text": { "zh-CN": "村东", "en": "East" } }, "west" ], "maxChoices": 1 }
            ]
            """);

        var read = PaperQuestions.Read(questions, new PageText());

        Assert.Equal(["修建停车场", "选址"], read.Select(q => q.Text));
        Assert.Equal(["赞成", "反对", "弃权"], read[0].Options.Select(o => o.Label));
        Assert.Equal([("east", "村东"), ("west", "west")], read[1].Options);
    }
}
