namespace Yishi.Engine.Notifications.Documents;

/// <summary>Where Chromium is and how long a print may take; bound from <see cref="SectionName"/>.</summary>
public sealed record ChromiumOptions
{
    /// <summary>The configuration section, e.g. <c>"Yishi": { "Documents": { "Chromium": { "ExecutablePath": … } } }</c>.</summary>
    public const string SectionName = "Yishi:Documents:Chromium";

    /// <summary>
    /// The Chromium (or Chrome) executable. Unset: the first of <c>/usr/bin/chromium</c>, <c>/usr/bin/chromium-browser</c>
    /// and <c>/usr/bin/google-chrome</c> that exists. Set to a path that does not exist: printing fails rather than
    /// quietly using another browser than the one configured.
    /// </summary>
    public string? ExecutablePath { get; init; }

    /// <summary>How long one print may run before Chromium is stopped; a page takes a few seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
