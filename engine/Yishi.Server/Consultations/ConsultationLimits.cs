namespace Yishi.Server.Consultations;

/// <summary>How much residents and staff may write: enough to argue a point, not enough to flood a list.</summary>
public static class ConsultationLimits
{
    public const int MaxOpinionLength = 2000;

    public const int MaxReasonLength = 500;

    public const int MaxCommentLength = 1000;

    public const int MaxSummaryLength = 4000;
}
