namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>Palette groups of the built-in activities.</summary>
public static class ActivityCategories
{
    /// <summary>Start, End, Decision, Fork, Join, SubWorkflow.</summary>
    public const string Flow = "Flow";

    /// <summary>Human tasks.</summary>
    public const string People = "People";

    /// <summary>Timers.</summary>
    public const string Time = "Time";

    /// <summary>Notifications and documents.</summary>
    public const string Messages = "Messages";

    /// <summary>Variables and messages.</summary>
    public const string Data = "Data";

    /// <summary>Ballots and consultations: where residents take part.</summary>
    public const string Participation = "Participation";
}
