using System.Text.RegularExpressions;

namespace Yishi.Engine.Tests.Fuzzing;

/// <summary>Mutates the JSON text of a valid definition: the kind of damage hand edits and bad merges do.</summary>
public static partial class TextMutations
{
    private static readonly string[] Inserts =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "//", "/*", "*/", "\n", " ", "0", "-", "e", "null", "true", ",,", "\"x\":", "\uFEFF", "调", "\uD800", "\t", "\u0001",
    ];

    private static readonly string[] Replacements =
    [
        "\"Start\"", "\"End\"", "\"HumanTask\"", "\"Join\"", "\"Fork\"", "\"Decision\"", "\"SubWorkflow\"", "\"Teleport\"", "\"\"", "\"done\"", "\"true\"",
        "\"any\"", "\"all\"", "\"start\"", "\"end\"", "\"1 +\"", "\"now\"", "\"P1D\"",
    ];

    /// <summary>Applies 1 to 4 random mutations.</summary>
    public static string Mutate(string text, Random random)
    {
        var times = random.Next(1, 5);
        for (var i = 0; i < times && text.Length > 0; i++)
        {
            text = random.Next(8) switch
            {
                0 => Delete(text, random),
                1 => Insert(text, random),
                2 => ReplaceChar(text, random),
                3 => SwapTokens(text, random),
                4 => ReplaceToken(text, random, Replacements[random.Next(Replacements.Length)]),
                5 => ReplaceToken(text, random, RandomDefinitions.OddValues[random.Next(RandomDefinitions.OddValues.Length)]),
                6 => Duplicate(text, random),
                _ => text[..random.Next(text.Length)],
            };
        }

        return text;
    }

    private static string Delete(string text, Random random)
    {
        var start = random.Next(text.Length);
        return text.Remove(start, Math.Min(random.Next(1, 12), text.Length - start));
    }

    private static string Insert(string text, Random random) => text.Insert(random.Next(text.Length + 1), Inserts[random.Next(Inserts.Length)]);

    private static string ReplaceChar(string text, Random random)
    {
        var at = random.Next(text.Length);
        return string.Concat(text.AsSpan(0, at), ((char)random.Next(32, 127)).ToString(), text.AsSpan(at + 1));
    }

    private static string Duplicate(string text, Random random)
    {
        var start = random.Next(text.Length);
        var length = Math.Min(random.Next(1, 80), text.Length - start);
        return text.Insert(start, text.Substring(start, length));
    }

    /// <summary>Swaps two JSON tokens (strings, numbers, literals, punctuation).</summary>
    private static string SwapTokens(string text, Random random)
    {
        var tokens = Token().Matches(text);
        if (tokens.Count < 2)
        {
            return text;
        }

        var a = tokens[random.Next(tokens.Count)];
        var b = tokens[random.Next(tokens.Count)];
        if (a.Index == b.Index)
        {
            return text;
        }

        var (first, second) = a.Index < b.Index ? (a, b) : (b, a);
        if (first.Index + first.Length > second.Index)
        {
            return text;
        }

        return text[..first.Index] + second.Value + text[(first.Index + first.Length)..second.Index] + first.Value + text[(second.Index + second.Length)..];
    }

    /// <summary>Replaces one value token (a string, number or literal) by another value.</summary>
    private static string ReplaceToken(string text, Random random, string replacement)
    {
        var values = Value().Matches(text);
        if (values.Count == 0)
        {
            return text;
        }

        var target = values[random.Next(values.Count)];
        return string.Concat(text.AsSpan(0, target.Index), replacement, text.AsSpan(target.Index + target.Length));
    }

    [GeneratedRegex("""
        "(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}\[\],:]
        """, RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    [GeneratedRegex("""
        "(?:[^"\\]|\\.)*"(?!\s*:)|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null
        """, RegexOptions.CultureInvariant)]
    private static partial Regex Value();
}
