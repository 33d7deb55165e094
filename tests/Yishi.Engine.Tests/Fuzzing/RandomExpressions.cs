using System.Text;

namespace Yishi.Engine.Tests.Fuzzing;

/// <summary>Random Scriban-like text: real tokens in random order, with stray characters.</summary>
public static class RandomExpressions
{
    private static readonly string[] Tokens =
    [
        "(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "|", "+", "-", "*", "/", "//", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "!", "=", "..", "..<", "?", "??",
        "1", "0", "-1", "2.5", "1e308", "9223372036854775807", "\"s\"", "'t'", "\"\"", "true", "false", "null", "empty",
        "x", "amount", "input", "activities", "instance", "now", "this", "string", "math", "date", "array", "object", "regex", "html", "timespan",
        "string.upcase", "string.size", "array.size", "array.add_range", "array.sort", "math.abs", "date.add_days", "date.parse", "object.typeof", "regex.match",
        "if", "else", "end", "for", "in", "while", "func", "ret", "do", "case", "when", "break", "continue", "capture", "with", "import", "include", "readonly",
        "\n", " ", "{{", "}}", "#", "\\", "`", "@", "$", "^", "~", "\"unterminated", "调解", "\u0000", "\uD800",
    ];

    /// <summary><paramref name="count"/> random tokens joined by spaces (or not).</summary>
    public static string Soup(Random random, int count)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.Append(Tokens[random.Next(Tokens.Length)]);
            if (random.Next(3) > 0)
            {
                builder.Append(' ');
            }
        }

        return builder.ToString();
    }

    /// <summary>A short program shape with random holes: loops, functions, pipes.</summary>
    public static string Shaped(Random random)
    {
        string Hole() => Soup(random, random.Next(1, 4));
        return random.Next(6) switch
        {
            0 => $"for i in {Hole()}; {Hole()}; end",
            1 => $"func f(a); ret {Hole()}; end; f({Hole()})",
            2 => $"x = {Hole()}; while {Hole()}; x = x + 1; end; x",
            3 => $"[{Hole()}, {Hole()}] | array.sort | array.size",
            4 => $"if {Hole()}; {Hole()}; else; {Hole()}; end",
            _ => $"{{ a: {Hole()}, b: [{Hole()}] }}",
        };
    }
}
