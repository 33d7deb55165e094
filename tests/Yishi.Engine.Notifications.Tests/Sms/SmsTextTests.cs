using Yishi.Engine.Notifications.Channels;

namespace Yishi.Engine.Notifications.Tests.Sms;

public sealed class SmsTextTests
{
    [Fact]
    public void Segments_EmptyText_IsZeroParts()
    {
        Assert.Equal((0, 0, false), SmsText.Segments(""));
    }

    [Theory]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Segments_GsmText_Takes160ThenPartsOf153(int length, int segments)
    {
        Assert.Equal((length, segments, false), SmsText.Segments(new string('a', length)));
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Segments_ChineseText_Takes70ThenPartsOf67(int length, int segments)
    {
        Assert.Equal((length, segments, true), SmsText.Segments(new string('通', length)));
    }

    [Fact]
    public void Segments_OneChineseCharacter_MakesAsciiTextUnicode()
    {
        var text = new string('a', 100) + "知";

        Assert.Equal((101, 2, true), SmsText.Segments(text));
    }

    [Fact]
    public void Segments_SurrogatePair_CountsTwoCodeUnits()
    {
        var text = new string('通', 69) + "😀";

        Assert.Equal((71, 2, true), SmsText.Segments(text));
    }

    [Fact]
    public void Segments_GsmAccentsAndGreek_StayGsm()
    {
        Assert.False(SmsText.Segments("Ça 5£ @ Δ ü? ¡Hola! ¿Qué?\r\nèéùìò ÆØÅ ß §").Unicode);
    }

    [Theory]
    [InlineData("€")]
    [InlineData("{x}")]
    [InlineData("ê")]
    public void Segments_OutsideBasicSet_CountsAsUnicode(string text)
    {
        Assert.True(SmsText.Segments(text).Unicode);
    }
}
