namespace Yishi.Engine.Notifications.Tests.Sms;

public sealed class PhoneMaskingTests
{
    [Theory]
    [InlineData("13800001234", "138****1234")]
    [InlineData("+8613800001234", "+86138****1234")]
    [InlineData("+86 138-0000-1234", "+86138****1234")]
    [InlineData("02112345678", "021****5678")]
    [InlineData("12345678", "****5678")]
    [InlineData("12345", "****")]
    [InlineData("", "****")]
    public void Of_Number_HidesFourDigits(string phone, string masked)
    {
        Assert.Equal(masked, Yishi.Engine.Privacy.Masking.Phone(phone));
    }
}
