using Microsoft.OpenApi;

namespace Yishi.Server.Attachments;

/// <summary>How <c>/openapi/v1.json</c> describes an upload the handler reads itself, as a stream, rather than through form binding.</summary>
internal static class AttachmentOpenApi
{
    /// <summary>Documents the request body: multipart/form-data with a binary <c>file</c> and an optional <c>description</c>.</summary>
    public static TBuilder AcceptsMultipartFile<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["multipart/form-data"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string>(StringComparer.Ordinal) { AttachmentForm.FileField },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                [AttachmentForm.FileField] = new OpenApiSchema
                                {
                                    Type = JsonSchemaType.String,
                                    Format = "binary",
                                    Description = "The file; its name's extension must be an accepted type and its content must fit it.",
                                },
                                [AttachmentForm.DescriptionField] = new OpenApiSchema
                                {
                                    Type = JsonSchemaType.String,
                                    MaxLength = AttachmentForm.MaxDescriptionLength,
                                    Description = "What the file is, e.g. 现场照片.",
                                },
                            },
                        },
                    },
                },
            };
            return Task.CompletedTask;
        });
}
