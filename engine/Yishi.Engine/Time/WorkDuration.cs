using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Yishi.Engine.Time;

/// <summary>How a duration counts time.</summary>
public enum DurationUnit
{
    /// <summary>Elapsed time (ISO 8601 <c>P3DT4H</c>, <c>{"days": 3}</c>, <c>{"hours": 4}</c>).</summary>
    Elapsed,
    /// <summary>Working days by the calendar (<c>{"workingDays": 5}</c>).</summary>
    WorkingDays,
    /// <summary>Working hours by the calendar (<c>{"workingHours": 8}</c>).</summary>
    WorkingHours,
}

/// <summary>A duration as a process states it: "5 working days", "30 days", "PT2H".</summary>
/// <param name="Unit">How to count.</param>
/// <param name="Amount">Working days or hours (for the working units).</param>
/// <param name="Elapsed">The span (for <see cref="DurationUnit.Elapsed"/>).</param>
public sealed partial record WorkDuration(DurationUnit Unit, int Amount, TimeSpan Elapsed)
{
    /// <summary>The instant this duration after <paramref name="start"/>.</summary>
    public DateTimeOffset AddTo(DateTimeOffset start, IWorkingCalendar calendar) => Unit switch
    {
        DurationUnit.WorkingDays => calendar.AddWorkingDays(start, Amount),
        DurationUnit.WorkingHours => calendar.AddWorkingHours(start, Amount),
        _ => start + Elapsed,
    };

    /// <summary>Reads a duration property; returns null with a message when it is not one.</summary>
    public static WorkDuration? TryParse(JsonElement value, out string? error)
    {
        error = null;
        if (value.ValueKind == JsonValueKind.String)
        {
            var match = IsoPattern().Match(value.GetString()!);
            if (match.Success && match.Length > 1 && !value.GetString()!.EndsWith('T'))
            {
                double Part(string name) => match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
                var span = TimeSpan.FromDays((Part("w") * 7) + Part("d")) + TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
                if (span > TimeSpan.Zero && span <= MaxSpan)
                {
                    return new WorkDuration(DurationUnit.Elapsed, 0, span);
                }
            }

            error = "Write a duration as ISO 8601 (e.g. \"P3D\", \"PT2H\", at most 10 years) or as {\"workingDays\": 5}.";
            return null;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            var fields = value.EnumerateObject().ToList();
            if (fields.Count == 1 && fields[0].Value.ValueKind == JsonValueKind.Number && fields[0].Value.TryGetInt32(out var amount) && amount > 0 && amount <= 3650)
            {
                switch (fields[0].Name)
                {
                    case "workingDays":
                        return new WorkDuration(DurationUnit.WorkingDays, amount, TimeSpan.Zero);
                    case "workingHours":
                        return new WorkDuration(DurationUnit.WorkingHours, amount, TimeSpan.Zero);
                    case "days":
                        return new WorkDuration(DurationUnit.Elapsed, 0, TimeSpan.FromDays(amount));
                    case "hours":
                        return new WorkDuration(DurationUnit.Elapsed, 0, TimeSpan.FromHours(amount));
                    case "minutes":
                        return new WorkDuration(DurationUnit.Elapsed, 0, TimeSpan.FromMinutes(amount));
                }
            }
        }

        error = "A duration is an ISO 8601 string (\"P3D\") or one of {\"workingDays\": n}, {\"workingHours\": n}, {\"days\": n}, {\"hours\": n}, {\"minutes\": n} with n from 1 to 3650.";
        return null;
    }

    private static readonly TimeSpan MaxSpan = TimeSpan.FromDays(3660);

    [GeneratedRegex(@"^P(?:(?<w>[0-9]{1,4})W)?(?:(?<d>[0-9]{1,5})D)?(?:T(?:(?<h>[0-9]{1,6})H)?(?:(?<m>[0-9]{1,7})M)?(?:(?<s>[0-9]{1,9})S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();
}
