using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Yishi.Engine.Time;

/// <summary>A named run of days off.</summary>
/// <param name="Name">E.g. 春节.</param>
/// <param name="From">First day off.</param>
/// <param name="To">Last day off.</param>
public sealed record Holiday(string Name, DateOnly From, DateOnly To);

/// <summary>One year's official arrangement and where it comes from.</summary>
/// <param name="Year">The year.</param>
/// <param name="Source">The notice it was taken from.</param>
/// <param name="Holidays">Days off.</param>
/// <param name="Workdays">Weekend days that are working days (调休上班).</param>
public sealed record HolidayYear(int Year, string Source, ImmutableArray<Holiday> Holidays, ImmutableArray<DateOnly> Workdays);

/// <summary>
/// Statutory holidays and adjusted working days, year by year. A year the table does not cover has no known
/// holidays: callers report it (<see cref="Covers"/>) rather than guess.
/// </summary>
public sealed class HolidayTable
{
    // Before China below: static fields are set in the order they are written, and China reads this one.
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private readonly FrozenSet<DateOnly> _daysOff;
    private readonly FrozenSet<DateOnly> _workdays;

    private HolidayTable(IEnumerable<HolidayYear> years)
    {
        Years = [.. years.OrderBy(y => y.Year)];
        _daysOff = Years.SelectMany(y => y.Holidays).SelectMany(h => Enumerable.Range(0, h.To.DayNumber - h.From.DayNumber + 1).Select(h.From.AddDays)).ToFrozenSet();
        _workdays = Years.SelectMany(y => y.Workdays).ToFrozenSet();
    }

    private HolidayTable(ImmutableArray<HolidayYear> years, FrozenSet<DateOnly> daysOff, FrozenSet<DateOnly> workdays)
    {
        Years = years;
        _daysOff = daysOff;
        _workdays = workdays;
    }

    /// <summary>
    /// This table with days changed, in order (a later change of the same day wins): <c>true</c> makes a day a
    /// working day, <c>false</c> a day off. The years covered stay the same.
    /// </summary>
    public HolidayTable With(IEnumerable<(DateOnly Day, bool Working)> changes)
    {
        var off = _daysOff.ToHashSet();
        var work = _workdays.ToHashSet();
        foreach (var (day, working) in changes)
        {
            (working ? work : off).Add(day);
            (working ? off : work).Remove(day);
        }

        return new HolidayTable(Years, off.ToFrozenSet(), work.ToFrozenSet());
    }

    /// <summary>No holidays at all: plain Monday-to-Friday weeks.</summary>
    public static HolidayTable Empty { get; } = new([]);

    /// <summary>China's arrangements as shipped with Yishi (<c>china-holidays.json</c>).</summary>
    public static HolidayTable China { get; } = LoadChina();

    /// <summary>The years covered, in order.</summary>
    public ImmutableArray<HolidayYear> Years { get; }

    /// <summary>Is <paramref name="year"/>'s arrangement known?</summary>
    public bool Covers(int year) => Years.Any(y => y.Year == year);

    /// <summary>A statutory day off?</summary>
    public bool IsDayOff(DateOnly day) => _daysOff.Contains(day);

    /// <summary>A weekend day made a working day?</summary>
    public bool IsAdjustedWorkday(DateOnly day) => _workdays.Contains(day);

    /// <summary>Reads a table from JSON; a malformed file is reported with its line and column.</summary>
    public static HolidayTable Parse(string json, string fileName)
    {
        try
        {
            var file = JsonSerializer.Deserialize<HolidayFile>(json, Options) ?? throw new FormatException($"{fileName}: the file is empty.");
            var years = (file.Years ?? []).Select(y => new HolidayYear(y.Year, y.Source ?? "",
                [.. (y.Holidays ?? []).Select(h => new Holiday(h.Name ?? "", Day(h.From, fileName), Day(h.To, fileName)))],
                [.. (y.Workdays ?? []).Select(d => Day(d, fileName))])).ToList();
            if (years.FirstOrDefault(y => y.Source.Length == 0) is { } unsourced)
            {
                throw new FormatException($"{fileName}: year {unsourced.Year} names no source; every year's dates come from an official notice.");
            }

            if (years.SelectMany(y => y.Holidays.Select(h => (y.Year, Day: h.From)).Concat(y.Holidays.Select(h => (y.Year, Day: h.To))).Concat(y.Workdays.Select(d => (y.Year, Day: d))))
                    .FirstOrDefault(p => p.Day.Year != p.Year) is { Year: > 0 } stray)
            {
                throw new FormatException($"{fileName}: {stray.Day:yyyy-MM-dd} is listed under {stray.Year}.");
            }

            return new HolidayTable(years);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"{fileName}({(exception.LineNumber ?? 0) + 1},{(exception.BytePositionInLine ?? 0) + 1}): {exception.Message}", exception);
        }
    }

    private static DateOnly Day(string? text, string fileName) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new FormatException($"{fileName}: '{text}' is not a date (yyyy-MM-dd).");

    private static HolidayTable LoadChina()
    {
        using var stream = typeof(HolidayTable).Assembly.GetManifestResourceStream("Yishi.Engine.china-holidays.json")
                           ?? throw new InvalidOperationException("The holiday table is not embedded in the engine.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "china-holidays.json");
    }

    private sealed record HolidayFile(List<YearEntry>? Years);

    private sealed record YearEntry(int Year, string? Source, List<HolidayEntry>? Holidays, List<string>? Workdays);

    private sealed record HolidayEntry(string? Name, string? From, string? To);
}
