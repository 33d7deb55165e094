using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace Yishi.Server.Tests.OpenApi;

/// <summary>
/// Turns an OpenAPI document into a C# client (NSwag, System.Text.Json), compiles it in memory (Roslyn) and loads
/// it, so a test drives the server exactly as a consumer of the published document would.
/// </summary>
public static class OpenApiClientCompiler
{
    private const string Namespace = "Yishi.Generated";
    private const string ClassName = "YishiClient";

    /// <summary>Generates, compiles and loads the client; fails with the compiler's errors if the code does not build.</summary>
    public static async Task<GeneratedClient> CompileAsync(string documentJson, CancellationToken cancellationToken)
    {
        var code = await GenerateAsync(documentJson, cancellationToken);
        var assembly = Compile(code);
        var type = assembly.GetType($"{Namespace}.{ClassName}");
        Assert.True(type is not null, $"The generated code has no {Namespace}.{ClassName}; its types: {string.Join(", ", assembly.GetTypes().Select(t => t.FullName))}");
        return new GeneratedClient(type, code);
    }

    /// <summary>The method name both the generator and <see cref="GeneratedClient"/> use for an operation.</summary>
    public static string OperationName(string httpMethod, string path)
    {
        // Every segment counts, parameters too: GET /api/tasks and GET /api/tasks/{id} must not meet in one name.
        var name = new StringBuilder(Capitalize(httpMethod.ToLowerInvariant()));
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var word in segment.Trim('{', '}').Split('-', '_', '.'))
            {
                name.Append(Capitalize(word));
            }
        }

        return name.ToString();
    }

    private static async Task<string> GenerateAsync(string documentJson, CancellationToken cancellationToken)
    {
        var document = await OpenApiDocument.FromJsonAsync(documentJson, null, SchemaType.OpenApi3, cancellationToken);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = ClassName,
            // The test server's HttpClient already knows where the server is.
            UseBaseUrl = false,
            GenerateClientInterfaces = false,
            // The server's operations carry no operationId: names come from method and path, which are unique by construction.
            OperationNameGenerator = new MethodAndPathOperationNameGenerator(),
        };
        settings.CSharpGeneratorSettings.Namespace = Namespace;
        settings.CSharpGeneratorSettings.JsonLibrary = CSharpJsonLibrary.SystemTextJson;
        settings.CSharpGeneratorSettings.GenerateNullableReferenceTypes = true;
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }

    private static Assembly Compile(string code)
    {
        // What this process runs on (the framework, ASP.NET Core, System.Text.Json) is what the client needs.
        var platform = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? throw new InvalidOperationException("No TRUSTED_PLATFORM_ASSEMBLIES.");
        var references = platform.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "Yishi.GeneratedClient",
            [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest), path: "YishiClient.g.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(result.Success, $"The client generated from /openapi/v1.json does not compile ({errors.Count} errors):{Environment.NewLine}"
            + string.Join(Environment.NewLine, errors.Take(20).Select(d => $"{d} | {Line(code, d)}")));

        image.Position = 0;
        // A context of its own, so every test's client is a fresh assembly and can be unloaded with it.
        return new AssemblyLoadContext("Yishi.GeneratedClient", isCollectible: true).LoadFromStream(image);
    }

    private static string Line(string code, Diagnostic diagnostic)
    {
        var line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
        return code.Split('\n').ElementAtOrDefault(line)?.Trim() ?? "";
    }

    private static string Capitalize(string word) =>
        word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    private sealed class MethodAndPathOperationNameGenerator : IOperationNameGenerator
    {
        public bool SupportsMultipleClients => false;

        public string GetClientName(OpenApiDocument document, string path, string httpMethod, OpenApiOperation operation) => "";

        public string GetOperationName(OpenApiDocument document, string path, string httpMethod, OpenApiOperation operation) => OperationName(httpMethod, path);
    }
}

/// <summary>The compiled client, called by reflection: operations by HTTP method and path, arguments by parameter name.</summary>
public sealed class GeneratedClient(Type clientType, string code)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>The generated source, for failure messages.</summary>
    public string Code { get; } = code;

    /// <summary>A client instance that sends its requests through <paramref name="http"/> (base address and bearer token included).</summary>
    public object Create(HttpClient http) => Activator.CreateInstance(clientType, http)
        ?? throw new InvalidOperationException($"{clientType} could not be created.");

    /// <summary>
    /// Calls the operation's generated method (the overload that takes a <see cref="CancellationToken"/>) and answers
    /// its result as JSON, or null when the operation declares no response body.
    /// </summary>
    public async Task<JsonNode?> InvokeAsync(object client, string httpMethod, string path, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        var name = OpenApiClientCompiler.OperationName(httpMethod, path) + "Async";
        var method = clientType.GetMethods().SingleOrDefault(m => m.Name == name && m.GetParameters() is [.., { ParameterType: var last }] && last == typeof(CancellationToken));
        Assert.True(method is not null, $"The generated client has no {name}(…, CancellationToken) for {httpMethod.ToUpperInvariant()} {path}; it has: "
            + string.Join(", ", clientType.GetMethods().Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal)).Select(m => m.Name).Distinct()));

        var unknown = arguments.Keys.Except(method.GetParameters().Select(p => p.Name!)).ToList();
        Assert.True(unknown.Count == 0, $"{name} has no parameters {string.Join(", ", unknown)}: {Signature(method)}");
        var values = method.GetParameters()
            .Select(p => p.ParameterType == typeof(CancellationToken) ? cancellationToken : arguments.GetValueOrDefault(p.Name!))
            .ToArray();

        var task = (Task)method.Invoke(client, values)!;
        await task;
        // The declared type decides: at run time an async method's plain Task is a Task<VoidTaskResult> too.
        var result = method.ReturnType.IsGenericType ? method.ReturnType.GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
        return result is null ? null : JsonSerializer.SerializeToNode(result, result.GetType(), Web);
    }

    /// <summary>
    /// An instance of a generated model (a request body) with the given properties, each found by its JSON name so
    /// a property the document lost fails here rather than silently vanishing from the request.
    /// </summary>
    public object Model(string typeName, JsonObject properties)
    {
        var type = clientType.Assembly.GetType($"{clientType.Namespace}.{typeName}");
        Assert.True(type is not null, $"The generated code has no model {typeName}.");
        var model = Activator.CreateInstance(type)!;
        foreach (var (jsonName, value) in properties)
        {
            var property = type.GetProperties().SingleOrDefault(p => string.Equals(JsonName(p), jsonName, StringComparison.Ordinal));
            Assert.True(property is not null, $"{typeName} has no property \"{jsonName}\"; it has: {string.Join(", ", type.GetProperties().Select(JsonName))}");
            property.SetValue(model, value?.Deserialize(property.PropertyType, Web));
        }

        return model;
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name;

    private static string Signature(MethodInfo method) =>
        string.Create(CultureInfo.InvariantCulture, $"{method.Name}({string.Join(", ", method.GetParameters().Select(p => $"{p.ParameterType.Name} {p.Name}"))})");
}
