using Yishi.Engine.Time;

namespace Yishi.Engine.Tests.Time;

/// <summary>Working days by China's official arrangements (expected dates read off the State Council notices by hand).</summary>
public sealed class WorkingCalendarTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly WorkingCalendar Calendar = WorkingCalendar.China;

    private static DateTimeOffset Local(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, China);

    [Fact]
    public void OneWorkingDay_BeforeNationalDay2025_IsTheThursdayAfterTheEightDaysOff() =>
        Assert.Equal(Local(2025, 10, 9, 10), Calendar.AddWorkingDays(Local(2025, 9, 30, 10), 1));

    [Fact]
    public void AdjustedWorkday_OnASunday_Counts() =>
        Assert.Equal(Local(2025, 9, 28, 15), Calendar.AddWorkingDays(Local(2025, 9, 26, 15), 1));

    [Fact]
    public void SpringFestival2026_SaturdayWorkdayBefore_ThenTheTuesdayAfter()
    {
        Assert.Equal(Local(2026, 2, 14, 9), Calendar.AddWorkingDays(Local(2026, 2, 13, 9), 1));
        Assert.Equal(Local(2026, 2, 24, 9), Calendar.AddWorkingDays(Local(2026, 2, 13, 9), 2));
    }

    [Fact]
    public void January2026_Has21WorkingDays()
    {
        // 22 weekdays, minus New Year's Thursday and Friday, plus Sunday 4 January.
        Assert.Equal(21, Calendar.CountWorkingDays(new DateOnly(2025, 12, 31), new DateOnly(2026, 1, 31)));
        Assert.Equal(0, Calendar.CountWorkingDays(new DateOnly(2026, 1, 31), new DateOnly(2026, 1, 1)));
    }

    [Fact]
    public void WorkingHours_LateBeforeAHoliday_ContinueAfterIt() =>
        Assert.Equal(Local(2025, 10, 9, 10), Calendar.AddWorkingHours(Local(2025, 9, 30, 16), 2));

    [Fact]
    public void FiveWorkingDays_ForAHotlineCase_AcrossLabourDay2026()
    {
        // Wednesday 29 April; off 1–5 May; Saturday 9 May is worked.
        Assert.Equal(Local(2026, 5, 9, 11), Calendar.AddWorkingDays(Local(2026, 4, 29, 11), 5));
    }

    [Fact]
    public void ShippedTable_CoversPublishedYearsWithTheirSource_AndNotTheNextOne()
    {
        Assert.All(HolidayTable.China.Years, y => Assert.Contains("国务院办公厅", y.Source, StringComparison.Ordinal));
        Assert.True(HolidayTable.China.Covers(2025));
        Assert.True(HolidayTable.China.Covers(2026));
        Assert.Equal([2027], Calendar.UncoveredYears(new DateOnly(2026, 12, 1), new DateOnly(2027, 1, 31)));
    }

    [Fact]
    public void UncoveredYear_CountsPlainWeeks() =>
        // 1 January 2027 is a Friday: with no published notice it is counted as a working day, and reported as uncovered above.
        Assert.Equal(Local(2027, 1, 1, 10), Calendar.AddWorkingDays(Local(2026, 12, 31, 10), 1));

    [Fact]
    public void MalformedTable_IsReportedWithLineAndColumn()
    {
        var error = Assert.Throws<FormatException>(() => HolidayTable.Parse("{\n  \"years\": [ { \"year\": 2025,, } ]\n}", "test.json"));

        Assert.StartsWith("test.json(2,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void YearWithoutSource_OrDateUnderTheWrongYear_IsRefused()
    {
        Assert.Contains("names no source", Assert.Throws<FormatException>(() =>
            HolidayTable.Parse("""{ "years": [ { "year": 2030, "holidays": [], "workdays": [] } ] }""", "t.json")).Message, StringComparison.Ordinal);
        Assert.Contains("is listed under 2030", Assert.Throws<FormatException>(() =>
            HolidayTable.Parse("""{ "years": [ { "year": 2030, "source": "x", "workdays": [ "2031-01-04" ] } ] }""", "t.json")).Message, StringComparison.Ordinal);
    }
}
