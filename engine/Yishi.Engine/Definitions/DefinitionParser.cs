using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Definitions;

/// <summary>The result of reading a definition file: the definition when its shape was readable, and every problem found.</summary>
/// <param name="Definition">Null when the JSON could not be read into a definition at all.</param>
/// <param name="Problems">Structural problems, each located.</param>
/// <param name="SourceMap">Positions of the file's values, for locating later problems.</param>
public sealed record ParsedDefinition(WorkflowDefinition? Definition, ImmutableArray<ValidationProblem> Problems, SourceMap? SourceMap);

/// <summary>
/// Reads the JSON form of a workflow definition. It checks shape only (types of fields, required fields,
/// caps); <see cref="DefinitionValidator"/> checks meaning. Never throws for bad input.
/// </summary>
public static partial class DefinitionParser
{
    private static readonly HashSet<string> VariableFields = new(StringComparer.Ordinal) { "name", "type", "required", "default", "personal", "description" };
    private static readonly HashSet<string> ActivityFields = new(StringComparer.Ordinal) { "id", "type", "properties", "displayName", "description" };
    private static readonly HashSet<string> ConnectionFields = new(StringComparer.Ordinal) { "from", "to", "outcome" };

    private static readonly HashSet<string> TopLevelFields = new(StringComparer.Ordinal)
    {
        "$schema", "definitionId", "name", "description", "variables", "activities", "connections", "layout",
    };

    /// <summary>Parses a definition from text.</summary>
    public static ParsedDefinition Parse(string json, DefinitionLimits? limits = null) =>
        Parse(Encoding.UTF8.GetBytes(json), limits);

    /// <summary>Parses a definition from UTF-8 bytes.</summary>
    public static ParsedDefinition Parse(byte[] utf8, DefinitionLimits? limits = null)
    {
        limits ??= DefinitionLimits.Default;
        if (utf8.Length > limits.MaxBytes)
        {
            return Fail(ValidationProblem.Error(ProblemCodes.TooLarge,
                $"The definition is {utf8.Length:N0} bytes; the limit is {limits.MaxBytes:N0} bytes.") with { Path = "" });
        }

        var readerOptions = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = limits.MaxJsonDepth };
        JsonDocument document;
        try
        {
            // Skip a UTF-8 byte order mark: editors on Windows add one.
            var start = utf8.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
            if (start > 0)
            {
                utf8 = utf8[start..];
            }

            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException exception)
        {
            return Fail(MalformedJson(utf8, exception));
        }

        using (document)
        {
            var map = SourceMap.Build(utf8, readerOptions);
            var reader = new Reader(map);
            var definition = reader.ReadDefinition(document.RootElement, limits);
            return new ParsedDefinition(definition, [.. reader.Problems], map);
        }
    }

    private static ParsedDefinition Fail(ValidationProblem problem) => new(null, [problem], null);

    private static ValidationProblem MalformedJson(byte[] utf8, JsonException exception)
    {
        // JsonException counts lines from 0 and columns in bytes; people count from 1 and in characters.
        SourcePosition? position = null;
        if (exception.LineNumber is { } line && exception.BytePositionInLine is { } bytes)
        {
            var lineStart = 0;
            for (long l = 0; l < line && lineStart < utf8.Length; l++)
            {
                var next = Array.IndexOf(utf8, (byte)'\n', lineStart);
                lineStart = next < 0 ? utf8.Length : next + 1;
            }

            var length = (int)Math.Clamp(bytes, 0, utf8.Length - lineStart);
            position = new SourcePosition((int)line + 1, Encoding.UTF8.GetCharCount(utf8, lineStart, length) + 1);
        }

        var message = exception.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        return ValidationProblem.Error(ProblemCodes.MalformedJson, "The file is not valid JSON: " + message) with { Position = position, Path = "" };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$", RegexOptions.CultureInvariant)]
    internal static partial Regex IdPattern();

    /// <summary>Whether a text is a valid id (of a definition, an activity, an org unit): 1 to 100 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    internal static partial Regex VariableNamePattern();

    private sealed class Reader(SourceMap map)
    {
        public List<ValidationProblem> Problems { get; } = [];

        private void Add(ValidationProblem problem, string pointer, string? activityId = null, string? property = null) =>
            Problems.Add(problem with { Path = pointer, Position = map.Find(pointer), ActivityId = activityId ?? problem.ActivityId, Property = property ?? problem.Property });

        private void WrongType(string pointer, string what, JsonElement value) =>
            Add(ValidationProblem.Error(ProblemCodes.WrongType, $"'{Describe(pointer)}' must be {what}, not {Kind(value)}."), pointer);

        /// <summary>A misspelt key (say "outcom") would otherwise be dropped without a word.</summary>
        private void WarnUnknownFields(JsonElement item, string pointer, HashSet<string> known)
        {
            foreach (var property in item.EnumerateObject())
            {
                if (!known.Contains(property.Name))
                {
                    Add(ValidationProblem.Warning(ProblemCodes.UnknownField, $"'{property.Name}' is not a field here and is ignored (expected: {string.Join(", ", known)})."),
                        pointer + "/" + SourceMap.Escape(property.Name));
                }
            }
        }

        private void Missing(string pointer, string field) =>
            Add(ValidationProblem.Error(ProblemCodes.MissingField, $"'{field}' is required here."), pointer);

        public WorkflowDefinition? ReadDefinition(JsonElement root, DefinitionLimits limits)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                WrongType("", "a JSON object", root);
                return null;
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!TopLevelFields.Contains(property.Name))
                {
                    Add(ValidationProblem.Warning(ProblemCodes.UnknownField, $"'{property.Name}' is not part of the definition format and is ignored."), "/" + SourceMap.Escape(property.Name));
                }
            }

            var definitionId = ReadId(root, "", "definitionId");
            var name = root.TryGetProperty("name", out var nameElement) ? ReadText(nameElement, "/name") : null;
            if (name is null && !root.TryGetProperty("name", out _))
            {
                Missing("", "name");
            }

            var description = root.TryGetProperty("description", out var descriptionElement) ? ReadText(descriptionElement, "/description") : null;
            var variables = ReadVariables(root);
            var activities = ReadActivities(root, limits);
            var connections = ReadConnections(root, limits);
            var layout = ReadLayout(root);

            if (definitionId is null || name is null || activities is null || connections is null)
            {
                return null;
            }

            return new WorkflowDefinition
            {
                DefinitionId = definitionId,
                Name = name,
                Description = description,
                Variables = variables,
                Activities = activities.Value,
                Connections = connections.Value,
                Layout = layout,
            };
        }

        private string? ReadId(JsonElement owner, string ownerPointer, string field)
        {
            var pointer = ownerPointer + "/" + field;
            if (!owner.TryGetProperty(field, out var element))
            {
                Missing(ownerPointer, field);
                return null;
            }

            if (element.ValueKind != JsonValueKind.String)
            {
                WrongType(pointer, "a string", element);
                return null;
            }

            var id = element.GetString()!;
            if (!IdPattern().IsMatch(id))
            {
                Add(ValidationProblem.Error(ProblemCodes.InvalidId,
                    $"'{Truncate(id)}' is not a valid id: use 1 to 100 letters, digits, '-', '_' or '.', starting with a letter or digit."), pointer);
                return null;
            }

            return id;
        }

        public LocalizedText? ReadText(JsonElement element, string pointer)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    return LocalizedText.Invariant(element.GetString()!);
                case JsonValueKind.Object:
                    var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
                    foreach (var entry in element.EnumerateObject())
                    {
                        if (entry.Value.ValueKind != JsonValueKind.String)
                        {
                            WrongType(pointer + "/" + SourceMap.Escape(entry.Name), "a string", entry.Value);
                            continue;
                        }

                        builder[entry.Name] = entry.Value.GetString()!;
                    }

                    return new LocalizedText(builder.ToImmutable());
                default:
                    WrongType(pointer, "a string or an object of texts by locale (e.g. {\"zh-CN\": \"…\", \"en\": \"…\"})", element);
                    return null;
            }
        }

        private ImmutableArray<VariableDefinition> ReadVariables(JsonElement root)
        {
            if (!root.TryGetProperty("variables", out var array))
            {
                return [];
            }

            if (array.ValueKind != JsonValueKind.Array)
            {
                WrongType("/variables", "an array", array);
                return [];
            }

            var result = ImmutableArray.CreateBuilder<VariableDefinition>();
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var pointer = "/variables/" + index++.ToString(CultureInfo.InvariantCulture);
                if (item.ValueKind != JsonValueKind.Object)
                {
                    WrongType(pointer, "an object", item);
                    continue;
                }

                WarnUnknownFields(item, pointer, VariableFields);

                if (!item.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
                {
                    if (nameElement.ValueKind == JsonValueKind.Undefined)
                    {
                        Missing(pointer, "name");
                    }
                    else
                    {
                        WrongType(pointer + "/name", "a string", nameElement);
                    }

                    continue;
                }

                var name = nameElement.GetString()!;
                if (!VariableNamePattern().IsMatch(name))
                {
                    Add(ValidationProblem.Error(ProblemCodes.InvalidVariableName,
                        $"'{Truncate(name)}' is not a valid variable name: use letters, digits and '_', starting with a letter or '_'."), pointer + "/name");
                    continue;
                }

                var type = VariableType.Any;
                if (item.TryGetProperty("type", out var typeElement))
                {
                    if (typeElement.ValueKind != JsonValueKind.String || !TryParseVariableType(typeElement.GetString()!, out type))
                    {
                        Add(ValidationProblem.Error(ProblemCodes.WrongType,
                            "'type' must be one of string, number, boolean, datetime, object, array, any."), pointer + "/type");
                        continue;
                    }
                }

                var required = item.TryGetProperty("required", out var requiredElement) && requiredElement.ValueKind == JsonValueKind.True;
                var personal = item.TryGetProperty("personal", out var personalElement) && personalElement.ValueKind == JsonValueKind.True;
                JsonElement? defaultValue = item.TryGetProperty("default", out var defaultElement) ? defaultElement.Clone() : null;
                result.Add(new VariableDefinition(name, type, required, defaultValue, personal));
            }

            return result.ToImmutable();
        }

        internal static bool TryParseVariableType(string text, out VariableType type) => TryParseName(text, out type);

        private ImmutableArray<ActivityDefinition>? ReadActivities(JsonElement root, DefinitionLimits limits)
        {
            if (!root.TryGetProperty("activities", out var array))
            {
                Missing("", "activities");
                return null;
            }

            if (array.ValueKind != JsonValueKind.Array)
            {
                WrongType("/activities", "an array", array);
                return null;
            }

            if (array.GetArrayLength() > limits.MaxActivities)
            {
                Add(ValidationProblem.Error(ProblemCodes.TooManyActivities,
                    $"The definition has {array.GetArrayLength():N0} activities; the limit is {limits.MaxActivities:N0}. Split it into sub-workflows."), "/activities");
                return null;
            }

            var result = ImmutableArray.CreateBuilder<ActivityDefinition>();
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var pointer = "/activities/" + index++.ToString(CultureInfo.InvariantCulture);
                if (item.ValueKind != JsonValueKind.Object)
                {
                    WrongType(pointer, "an object", item);
                    continue;
                }

                WarnUnknownFields(item, pointer, ActivityFields);

                var id = ReadId(item, pointer, "id");
                string? type = null;
                if (!item.TryGetProperty("type", out var typeElement))
                {
                    Missing(pointer, "type");
                }
                else if (typeElement.ValueKind != JsonValueKind.String || typeElement.GetString()!.Length == 0)
                {
                    WrongType(pointer + "/type", "a non-empty string", typeElement);
                }
                else
                {
                    type = typeElement.GetString();
                }

                var properties = ImmutableDictionary<string, JsonElement>.Empty;
                if (item.TryGetProperty("properties", out var propertiesElement))
                {
                    if (propertiesElement.ValueKind == JsonValueKind.Object)
                    {
                        var builder = ImmutableDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
                        foreach (var property in propertiesElement.EnumerateObject())
                        {
                            builder[property.Name] = property.Value.Clone();
                        }

                        properties = builder.ToImmutable();
                    }
                    else if (propertiesElement.ValueKind != JsonValueKind.Null)
                    {
                        WrongType(pointer + "/properties", "an object", propertiesElement);
                    }
                }

                var displayName = item.TryGetProperty("displayName", out var displayElement) ? ReadText(displayElement, pointer + "/displayName") : null;
                if (id is not null && type is not null)
                {
                    result.Add(new ActivityDefinition(id, type, properties, displayName));
                }
            }

            return result.ToImmutable();
        }

        private ImmutableArray<ConnectionDefinition>? ReadConnections(JsonElement root, DefinitionLimits limits)
        {
            if (!root.TryGetProperty("connections", out var array))
            {
                return [];
            }

            if (array.ValueKind != JsonValueKind.Array)
            {
                WrongType("/connections", "an array", array);
                return null;
            }

            if (array.GetArrayLength() > limits.MaxConnections)
            {
                Add(ValidationProblem.Error(ProblemCodes.TooManyConnections,
                    $"The definition has {array.GetArrayLength():N0} connections; the limit is {limits.MaxConnections:N0}."), "/connections");
                return null;
            }

            var result = ImmutableArray.CreateBuilder<ConnectionDefinition>();
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var pointer = "/connections/" + index++.ToString(CultureInfo.InvariantCulture);
                if (item.ValueKind != JsonValueKind.Object)
                {
                    WrongType(pointer, "an object", item);
                    continue;
                }

                WarnUnknownFields(item, pointer, ConnectionFields);

                var from = ReadString(item, pointer, "from", required: true);
                var to = ReadString(item, pointer, "to", required: true);
                var outcome = ReadString(item, pointer, "outcome", required: false) ?? ConnectionDefinition.DefaultOutcome;
                if (from is not null && to is not null)
                {
                    result.Add(new ConnectionDefinition(from, to, outcome));
                }
            }

            return result.ToImmutable();
        }

        private string? ReadString(JsonElement owner, string ownerPointer, string field, bool required)
        {
            if (!owner.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Missing(ownerPointer, field);
                }

                return null;
            }

            if (element.ValueKind != JsonValueKind.String || element.GetString()!.Length == 0)
            {
                WrongType(ownerPointer + "/" + field, "a non-empty string", element);
                return null;
            }

            return element.GetString();
        }

        private ImmutableDictionary<string, LayoutPosition> ReadLayout(JsonElement root)
        {
            if (!root.TryGetProperty("layout", out var layout) || layout.ValueKind == JsonValueKind.Null)
            {
                return ImmutableDictionary<string, LayoutPosition>.Empty;
            }

            if (layout.ValueKind != JsonValueKind.Object)
            {
                WrongType("/layout", "an object of positions by activity id", layout);
                return ImmutableDictionary<string, LayoutPosition>.Empty;
            }

            var builder = ImmutableDictionary.CreateBuilder<string, LayoutPosition>(StringComparer.Ordinal);
            foreach (var entry in layout.EnumerateObject())
            {
                var pointer = "/layout/" + SourceMap.Escape(entry.Name);
                if (entry.Value.ValueKind == JsonValueKind.Object &&
                    entry.Value.TryGetProperty("x", out var x) && x.ValueKind == JsonValueKind.Number &&
                    entry.Value.TryGetProperty("y", out var y) && y.ValueKind == JsonValueKind.Number)
                {
                    builder[entry.Name] = new LayoutPosition(x.GetDouble(), y.GetDouble());
                }
                else
                {
                    // Layout never affects execution, so a bad position is only a warning.
                    Add(ValidationProblem.Warning(ProblemCodes.WrongType, "A layout position must be {\"x\": number, \"y\": number}; it is ignored."), pointer);
                }
            }

            return builder.ToImmutable();
        }

        private static string Describe(string pointer) => pointer.Length == 0 ? "the document" : pointer.TrimStart('/').Replace('/', '.');
    }

    /// <summary>Reads an enum by its name (any case), never by its number.</summary>
    internal static bool TryParseName<T>(string text, out T value) where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !text.Any(char.IsAsciiDigit);

    internal static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    internal static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
