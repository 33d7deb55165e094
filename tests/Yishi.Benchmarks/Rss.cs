using System.Globalization;

namespace Yishi.Benchmarks;

/// <summary>
/// Resident set size read from /proc/self/status. Process.WorkingSet64 reports the same figure on Linux, but
/// reading VmRSS directly makes plain what is measured: pages the process actually holds in RAM.
/// </summary>
internal static class Rss
{
    private const string StatusPath = "/proc/self/status";
    private const string RssField = "VmRSS:";

    public static async Task<double> CurrentMegabytesAsync(CancellationToken cancellationToken = default)
    {
        var lines = await File.ReadAllLinesAsync(StatusPath, cancellationToken);
        var line = lines.FirstOrDefault(l => l.StartsWith(RssField, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{StatusPath} has no {RssField} line; RSS can only be read on Linux.");

        // The line reads "VmRSS:     123456 kB"; the kernel always reports kB.
        var kilobytes = long.Parse(
            line.AsSpan(RssField.Length).Trim().TrimEnd("kB").Trim(),
            NumberStyles.Integer,
            CultureInfo.InvariantCulture);
        return kilobytes / 1024.0;
    }
}
