namespace Yishi.Benchmarks;

/// <summary>
/// The median of a few rounds: this machine is shared and noisy, and one slow round must not move the
/// reported figure the way it would move a mean.
/// </summary>
internal static class Median
{
    public static double Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
