using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Yishi.Engine.Definitions;
using Yishi.Server.ApiKeys;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Hosting;

/// <summary>
/// What <c>/openapi/v1.json</c> says beyond what the endpoints' metadata gives: how callers authenticate, which
/// operations need it, and schemas for types whose JSON a converter decides.
/// </summary>
internal static class OpenApiDescription
{
    public const string BearerScheme = "Bearer";
    public const string ApiKeyScheme = "ApiKey";
    private const string ProblemJson = "application/problem+json";

    /// <summary>Policies an integrator's API key can satisfy; every other policy wants a person.</summary>
    private static readonly HashSet<string> ApiKeyPolicies = [Policies.StartInstances, Policies.ReadInstances, Policies.PublishMessages];

    public static void Configure(OpenApiOptions options)
    {
        // Any JSON value is no type of its own: as a component it becomes an empty class in generated clients,
        // which then cannot read an instance whose result is a string or a number.
        options.CreateSchemaReferenceId = type => type.Type == typeof(JsonNode) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        options.AddDocumentTransformer(DeclareSecuritySchemesAsync);
        options.AddDocumentTransformer(DescribeValidationProblemsAsync);
        options.AddOperationTransformer(RequireSecurityAsync);
        options.AddSchemaTransformer(FixSchemaAsync);
    }

    /// <summary>Documents a request header the handler reads itself, so clients generated from the document send it.</summary>
    public static TBuilder WithRequestHeader<TBuilder>(this TBuilder builder, string name, string description, bool required)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Header,
                Required = required,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });

    /// <summary>Documents a header the handler sets on a success answer.</summary>
    public static TBuilder WithResponseHeader<TBuilder>(this TBuilder builder, int status, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                && response is OpenApiResponse concrete)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }

            return Task.CompletedTask;
        });

    private static Task DeclareSecuritySchemesAsync(Microsoft.OpenApi.OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        // The bearer token is the opaque one POST /api/auth/login answers, not a JWT: no bearerFormat.
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The accessToken that POST /api/auth/login answers.",
        };
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.Header,
            Description = "An integrator's API key (POST /api/admin/api-keys); it starts and reads instances and publishes messages, as its permissions say.",
        };
        return Task.CompletedTask;
    }

    /// <summary>
    /// Problem.Of adds the validation problems to 422 answers as <c>problems</c>. Done on the finished document: a
    /// reference to ProblemView is only safe once the components exist.
    /// </summary>
    private static Task DescribeValidationProblemsAsync(Microsoft.OpenApi.OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is not null && schemas.TryGetValue(nameof(ProblemDetails), out var found) && found is OpenApiSchema problem && schemas.ContainsKey(nameof(ProblemView)))
        {
            problem.Properties ??= new Dictionary<string, IOpenApiSchema>();
            problem.Properties["problems"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchemaReference(nameof(ProblemView), document),
                Description = "With 422: every problem found, with its location.",
            };
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Reads the same authorization metadata the middleware enforces, so the document cannot drift from it: who may
    /// call, and the 401/403 every protected operation can answer.
    /// </summary>
    private static async Task RequireSecurityAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count == 0 || metadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }

        operation.Security = [Requirement(BearerScheme, context.Document)];
        // Every policy applies: a key serves only when each of them accepts keys.
        if (authorize.All(a => a.Policy is { } policy && ApiKeyPolicies.Contains(policy)))
        {
            operation.Security.Add(Requirement(ApiKeyScheme, context.Document));
        }

        operation.Responses ??= [];
        var problem = await ProblemSchemaAsync(context, cancellationToken);
        operation.Responses.TryAdd("401", ProblemResponse("Not signed in, or the token or key is not valid.", problem));
        operation.Responses.TryAdd("403", ProblemResponse("Signed in, but without the role or permission this needs.", problem));
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, Microsoft.OpenApi.OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    /// <summary>A reference to the ProblemDetails component the endpoints' <c>ProducesProblem</c> declarations share.</summary>
    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        const string id = nameof(ProblemDetails);
        var document = context.Document ?? throw new InvalidOperationException("The operation has no document.");
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(id))
        {
            document.Components.Schemas[id] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        }

        return new OpenApiSchemaReference(id, document);
    }

    private static OpenApiResponse ProblemResponse(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new OpenApiMediaType { Schema = schema } },
    };

    private static Task FixSchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(LocalizedText))
        {
            // LocalizedTextJsonConverter writes one text for every locale as a plain string, several as an object by locale.
            schema.Type = null;
            schema.Properties = null;
            schema.Description ??= "Text in several locales: one plain string for every locale, or an object keyed by locale (zh-CN, en, …).";
            schema.OneOf =
            [
                new OpenApiSchema { Type = JsonSchemaType.String, Description = "The same text in every locale." },
                new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
                    Description = "Texts by locale, e.g. {\"zh-CN\": \"…\", \"en\": \"…\"}.",
                },
            ];
        }
        else if ((Nullable.GetUnderlyingType(type) ?? type).IsEnum && schema.Enum is { Count: > 0 } values)
        {
            // The server writes enums as their names (JsonStringEnumConverter). A nullable enum parameter (?status=)
            // would otherwise put null among the names of the shared component.
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. values.Where(v => v is not null)];
        }
        else if (schema.Type is { } json && (json.HasFlag(JsonSchemaType.Integer) || json.HasFlag(JsonSchemaType.Number)) && json.HasFlag(JsonSchemaType.String))
        {
            // The web defaults read numbers from strings too, but the server always writes numbers: clients should send them.
            schema.Type = json & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }
}
