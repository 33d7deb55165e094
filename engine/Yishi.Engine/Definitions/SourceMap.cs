using System.Text;
using System.Text.Json;

namespace Yishi.Engine.Definitions;

/// <summary>
/// Where each JSON value of a definition file starts, so problems found after parsing (an unknown type, a
/// dangling connection) can still point at a line and column. Built in one pass of <see cref="Utf8JsonReader"/>;
/// positions are computed only when asked for.
/// </summary>
public sealed class SourceMap
{
    private readonly byte[] _utf8;
    private readonly Dictionary<string, int> _offsets;
    private int[]? _lineStarts;

    private SourceMap(byte[] utf8, Dictionary<string, int> offsets)
    {
        _utf8 = utf8;
        _offsets = offsets;
    }

    /// <summary>The position of the value at a JSON pointer, or of its nearest ancestor that has one.</summary>
    public Validation.SourcePosition? Find(string? pointer)
    {
        while (pointer is not null)
        {
            if (_offsets.TryGetValue(pointer, out var offset))
            {
                return PositionOf(offset);
            }

            var slash = pointer.LastIndexOf('/');
            pointer = slash < 0 ? null : pointer[..slash];
        }

        return null;
    }

    /// <summary>The 1-based line and column (counted in characters) of a byte offset.</summary>
    public Validation.SourcePosition PositionOf(int byteOffset) => PositionOf(_utf8, byteOffset, ref _lineStarts);

    internal static Validation.SourcePosition PositionOf(byte[] utf8, int byteOffset, ref int[]? lineStarts)
    {
        lineStarts ??= ComputeLineStarts(utf8);
        var index = Array.BinarySearch(lineStarts, byteOffset);
        var line = index >= 0 ? index : ~index - 1;
        var start = lineStarts[line];
        var length = Math.Clamp(byteOffset - start, 0, utf8.Length - start);
        var column = Encoding.UTF8.GetCharCount(utf8, start, length) + 1;
        return new Validation.SourcePosition(line + 1, column);
    }

    private static int[] ComputeLineStarts(byte[] utf8)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return [.. starts];
    }

    /// <summary>Builds the map. The input must already be known to be well-formed JSON.</summary>
    internal static SourceMap Build(byte[] utf8, JsonReaderOptions options)
    {
        var offsets = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = 0 };
        var reader = new Utf8JsonReader(utf8, options);
        // Each frame is the pointer of a container and, for arrays, the next index.
        var stack = new Stack<(string Pointer, int NextIndex, bool IsArray)>();
        string? pendingProperty = null;

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingProperty = reader.GetString();
                    var top = stack.Peek();
                    var propertyPointer = top.Pointer + "/" + Escape(pendingProperty!);
                    // A property is located at its name. A scalar value then moves it to the value itself; an object
                    // or array keeps the name (TryAdd below), which is where a reader looks for "this block".
                    offsets[propertyPointer] = (int)reader.TokenStartIndex;
                    break;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    {
                        var pointer = stack.Count == 0 ? "" : NextPointer(stack, ref pendingProperty);
                        offsets.TryAdd(pointer, (int)reader.TokenStartIndex);
                        stack.Push((pointer, 0, reader.TokenType == JsonTokenType.StartArray));
                        break;
                    }

                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    stack.Pop();
                    break;
                default:
                    if (stack.Count > 0)
                    {
                        var pointer = NextPointer(stack, ref pendingProperty);
                        offsets[pointer] = (int)reader.TokenStartIndex;
                    }

                    break;
            }
        }

        return new SourceMap(utf8, offsets);
    }

    private static string NextPointer(Stack<(string Pointer, int NextIndex, bool IsArray)> stack, ref string? pendingProperty)
    {
        var top = stack.Pop();
        string pointer;
        if (top.IsArray)
        {
            pointer = top.Pointer + "/" + top.NextIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
            top.NextIndex++;
        }
        else
        {
            pointer = top.Pointer + "/" + Escape(pendingProperty ?? "");
            pendingProperty = null;
        }

        stack.Push(top);
        return pointer;
    }

    /// <summary>Escapes a JSON pointer segment (RFC 6901).</summary>
    public static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
