using Yishi.Engine.Ballots;

namespace Yishi.Engine.Tests.Ballots;

/// <summary>The statutory presets at their edges: "过半数" is strictly more than half, "以上" includes the number itself.</summary>
public sealed class BallotRuleTests
{
    private static BallotOutcome Decide(string preset, ElectorateMode mode, int electorate, int attendees, int yes) =>
        BallotRule.For(preset, mode)!.Decide(new Tally(electorate, attendees, yes, attendees - yes, 0));

    [Theory]
    // 村民会议, one villager one vote: more than half of 100 adults must take part; 50 is not more than half.
    [InlineData(100, 50, 50, BallotOutcome.NoQuorum)]
    [InlineData(100, 51, 26, BallotOutcome.Passed)]
    // More than half of the 51 present: 26 carries, 25 does not.
    [InlineData(100, 51, 25, BallotOutcome.Rejected)]
    [InlineData(101, 51, 51, BallotOutcome.Passed)]
    [InlineData(101, 50, 50, BallotOutcome.NoQuorum)]
    public void VillagersAssembly_ByPerson(int electorate, int attendees, int yes, BallotOutcome expected) =>
        Assert.Equal(expected, Decide("villagers-assembly", ElectorateMode.Person, electorate, attendees, yes));

    [Theory]
    // By household: the representatives of two-thirds or more of 30 households, so 20 is enough and 19 is not.
    [InlineData(30, 20, 11, BallotOutcome.Passed)]
    [InlineData(30, 19, 19, BallotOutcome.NoQuorum)]
    [InlineData(31, 21, 11, BallotOutcome.Passed)]
    [InlineData(31, 20, 20, BallotOutcome.NoQuorum)]
    public void VillagersAssembly_ByHousehold(int electorate, int attendees, int yes, BallotOutcome expected) =>
        Assert.Equal(expected, Decide("villagers-assembly", ElectorateMode.Household, electorate, attendees, yes));

    [Theory]
    // 村民代表会议: two-thirds or more of 30 representatives present (20); more than half of them decide (of 20, 11).
    [InlineData(30, 20, 11, BallotOutcome.Passed)]
    [InlineData(30, 20, 10, BallotOutcome.Rejected)]
    [InlineData(30, 19, 19, BallotOutcome.NoQuorum)]
    public void VillageRepresentatives(int electorate, int attendees, int yes, BallotOutcome expected) =>
        Assert.Equal(expected, Decide("village-representatives", ElectorateMode.Representatives, electorate, attendees, yes));

    [Theory]
    [InlineData(200, 100, 100, BallotOutcome.NoQuorum)]
    [InlineData(200, 101, 51, BallotOutcome.Passed)]
    [InlineData(200, 101, 50, BallotOutcome.Rejected)]
    public void ResidentsAssembly(int electorate, int attendees, int yes, BallotOutcome expected) =>
        Assert.Equal(expected, Decide("residents-assembly", ElectorateMode.Person, electorate, attendees, yes));

    [Fact]
    public void AbstentionsCountAsAttendees_SoTheyWeighAgainstTheDecision()
    {
        var rule = BallotRule.For("villagers-assembly", ElectorateMode.Person)!;

        // 60 took part: 30 for, 10 against, 20 abstained. 30 is not more than half of 60.
        Assert.Equal(BallotOutcome.Rejected, rule.Decide(new Tally(100, 60, 30, 10, 20)));
        Assert.Equal(BallotOutcome.Passed, rule.Decide(new Tally(100, 60, 31, 9, 20)));
    }

    [Fact]
    public void TwoThirds_IncludesExactlyTwoThirds_AndNoQuorumPresetsStillNeedSomeoneToVote()
    {
        Assert.Equal(BallotOutcome.Passed, Decide("two-thirds", ElectorateMode.Person, 1000, 9, 6));
        Assert.Equal(BallotOutcome.Rejected, Decide("two-thirds", ElectorateMode.Person, 1000, 9, 5));
        Assert.Equal(BallotOutcome.NoQuorum, Decide("simple-majority", ElectorateMode.Person, 1000, 0, 0));
    }

    [Fact]
    public void OnlyTheVillagersAssemblyRequiresTenDaysNotice()
    {
        Assert.False(BallotRule.For("villagers-assembly", ElectorateMode.Person)!.NoticeLongEnough(9.9));
        Assert.True(BallotRule.For("villagers-assembly", ElectorateMode.Person)!.NoticeLongEnough(10));
        Assert.True(BallotRule.For("residents-assembly", ElectorateMode.Person)!.NoticeLongEnough(1));
        Assert.Null(BallotRule.For("show-of-hands", ElectorateMode.Person));
        Assert.All(BallotRule.Presets, p => Assert.NotNull(BallotRule.For(p, ElectorateMode.Person)));
    }
}
