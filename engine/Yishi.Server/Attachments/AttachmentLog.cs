namespace Yishi.Server.Attachments;

/// <summary>What the attachments log: ids, sizes and types, never a file's name or description (they are the case's content).</summary>
internal static partial class AttachmentLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Attachment {AttachmentId} ({Size} bytes, {ContentType}) added to case {InstanceId} by {UserId}")]
    public static partial void Added(this ILogger logger, string attachmentId, string instanceId, long size, string contentType, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "An upload to case {InstanceId} by {UserId} was refused: {Reason}")]
    public static partial void Refused(this ILogger logger, string instanceId, string userId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attachment {AttachmentId} was added to case {InstanceId}, but its journal entry could not be written ({Status})")]
    public static partial void NotJournalled(this ILogger logger, string attachmentId, string instanceId, Yishi.Engine.Runtime.StepStatus status);

    [LoggerMessage(Level = LogLevel.Error, Message = "The file of attachment {AttachmentId} (case {InstanceId}) is missing from the attachment folder")]
    public static partial void FileMissing(this ILogger logger, string attachmentId, string instanceId);
}
