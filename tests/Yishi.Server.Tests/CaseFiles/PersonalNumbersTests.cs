using Yishi.Server.CaseFiles;

namespace Yishi.Server.Tests.CaseFiles;

/// <summary>The phone and ID number checks a party's details go through.</summary>
public sealed class PersonalNumbersTests
{
    [Theory]
    [InlineData("13800001234", "13800001234")]
    [InlineData("138-0000-1234", "13800001234")]
    [InlineData(" 138 0000 1234 ", "13800001234")]
    [InlineData("19912345678", "19912345678")]
    public void MobileNumber_TakesMainlandMobilesAsTheResidentsImportDoes(string written, string stored) =>
        Assert.Equal(stored, PersonalNumbers.MobileNumber(written));

    [Theory]
    [InlineData("")]
    [InlineData("1380000123")]
    [InlineData("138000012345")]
    [InlineData("12800001234")]
    [InlineData("+8613800001234")]
    [InlineData("0592-1234567")]
    [InlineData("１３８００００１２３４")]
    public void MobileNumber_RefusesAnythingElse(string written) => Assert.Null(PersonalNumbers.MobileNumber(written));

    [Theory]
    [InlineData("11010519491231002X", "11010519491231002X")]
    [InlineData("11010519491231002x", "11010519491231002X")]
    [InlineData("440304198506151237", "440304198506151237")]
    [InlineData(" 350203199001010018 ", "350203199001010018")]
    public void IdNumber_TakesEighteenCharactersWithTheirCheckCharacter(string written, string stored) =>
        Assert.Equal(stored, PersonalNumbers.IdNumber(written));

    [Theory]
    [InlineData("110105194912310021")] // the check character should be X
    [InlineData("440304198506151238")] // one off
    [InlineData("44030419850615123")] // 17 characters
    [InlineData("4403041985061512370")]
    [InlineData("44030419850615123Y")]
    [InlineData("X40304198506151237")]
    [InlineData("")]
    public void IdNumber_RefusesAWrongCheckCharacterOrLength(string written) => Assert.Null(PersonalNumbers.IdNumber(written));
}
