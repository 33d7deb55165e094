using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace Yishi.Server.Tests.OpenApi;

/// <summary>
/// Turns an OpenAPI document into a C# client (NSwag, System.Text.Json, a method per operationId), compiles it in
/// memory (Roslyn) together with code written against it, and loads the result, so a test drives the server
/// exactly as a consumer of the published document would.
/// </summary>
public static class OpenApiClientCompiler
{
    public const string Namespace = "Yishi.Generated";
    public const string ClassName = "YishiClient";

    /// <summary>
    /// Generates the client and compiles it with <paramref name="consumer"/>; fails with the compiler's errors
    /// when either does not build, so a name or type the document lost fails here, not at run time.
    /// </summary>
    public static async Task<GeneratedClient> CompileAsync(string documentJson, string consumer, CancellationToken cancellationToken)
    {
        var code = await GenerateAsync(documentJson, cancellationToken);
        return new GeneratedClient(Compile(code, consumer), code);
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
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
        };
        settings.CSharpGeneratorSettings.Namespace = Namespace;
        settings.CSharpGeneratorSettings.JsonLibrary = CSharpJsonLibrary.SystemTextJson;
        settings.CSharpGeneratorSettings.GenerateNullableReferenceTypes = true;
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }

    private static Assembly Compile(string code, string consumer)
    {
        // What this process runs on (the framework, ASP.NET Core, System.Text.Json) is what the client needs.
        var platform = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? throw new InvalidOperationException("No TRUSTED_PLATFORM_ASSEMBLIES.");
        var references = platform.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(path => MetadataReference.CreateFromFile(path));
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal) { ["YishiClient.g.cs"] = code, ["Consumer.cs"] = consumer };
        var compilation = CSharpCompilation.Create(
            "Yishi.GeneratedClient",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Value, options, path: s.Key)),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(result.Success, $"The client generated from /openapi/v1.json, or the code using it, does not compile ({errors.Count} errors):{Environment.NewLine}"
            + string.Join(Environment.NewLine, errors.Take(20).Select(d => $"{d} | {Line(sources[d.Location.SourceTree?.FilePath ?? ""], d)}")));

        image.Position = 0;
        // A context of its own, so every test's client is a fresh assembly and can be unloaded with it.
        return new AssemblyLoadContext("Yishi.GeneratedClient", isCollectible: true).LoadFromStream(image);
    }

    private static string Line(string code, Diagnostic diagnostic)
    {
        var line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
        return code.Split('\n').ElementAtOrDefault(line)?.Trim() ?? "";
    }
}

/// <summary>The compiled client and the consumer code compiled with it.</summary>
public sealed class GeneratedClient(Assembly assembly, string code)
{
    /// <summary>The generated source, for failure messages.</summary>
    public string Code { get; } = code;

    /// <summary>
    /// Runs a static async method of the consumer code. The only reflection left: the assembly exists from run
    /// time on, so the test cannot name its types; the consumer code does, and the compiler checks it.
    /// </summary>
    public async Task<TResult> RunAsync<TResult>(string typeName, string methodName, params object?[] arguments)
    {
        var type = assembly.GetType($"{OpenApiClientCompiler.Namespace}.{typeName}");
        var method = type?.GetMethod(methodName, BindingFlags.Public | BindingFlags.Static);
        Assert.True(method is not null, $"The consumer code has no static {typeName}.{methodName}.");
        return await (Task<TResult>)method.Invoke(null, arguments)!;
    }
}
