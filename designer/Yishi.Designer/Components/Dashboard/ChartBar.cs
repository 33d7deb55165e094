using System.Globalization;

namespace Yishi.Designer.Components.Dashboard;

/// <summary>One bar or slice of a chart: what it is, how much, and that amount as a person reads it.</summary>
public sealed record ChartBar(string Label, double Value, string ValueText)
{
    /// <summary>A bar for a count.</summary>
    public static ChartBar Count(string label, int value) => new(label, value, value.ToString(CultureInfo.InvariantCulture));
}

/// <summary>Colours for bars and slices: each at least 3:1 against the white page (WCAG 1.4.11 for graphics).</summary>
internal static class ChartPalette
{
    private static readonly string[] Colours = ["#1565c0", "#2e7d32", "#6a1b9a", "#c62828", "#00695c", "#d84315", "#4e342e", "#37474f"];

    public static string Of(int index) => Colours[index % Colours.Length];

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
