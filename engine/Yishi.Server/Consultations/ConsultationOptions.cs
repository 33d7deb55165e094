namespace Yishi.Server.Consultations;

/// <summary>The <c>Yishi:Consultations</c> settings.</summary>
public sealed class ConsultationOptions
{
    /// <summary>
    /// How often the loop looks for new consultations, consultations whose time is up and summaries still to pass
    /// on, when it found none last time. One poll serves every consultation: they need no timer each.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
