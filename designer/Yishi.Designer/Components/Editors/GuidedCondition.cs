using System.Text;
using System.Text.RegularExpressions;

namespace Yishi.Designer.Components.Editors;

/// <summary>What a compared value is written as: quoted text, a number, or true/false.</summary>
public enum ConditionValueKind
{
    /// <summary>Quoted text.</summary>
    Text,

    /// <summary>A number literal.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
}

/// <summary>One test of a condition: a variable, how it is compared, and with what.</summary>
/// <param name="Join">How it joins the row before it: <c>&amp;&amp;</c> (且) or <c>||</c> (或); ignored on the first row.</param>
/// <param name="Variable">A variable or a path into one (<c>activities.review.outcome</c>).</param>
/// <param name="Operator">One of <see cref="GuidedCondition.Operators"/>.</param>
/// <param name="Value">The value as the person typed it (text unquoted); unused by the emptiness tests.</param>
/// <param name="Kind">How the value is written.</param>
/// <param name="OnList">For contains and emptiness: the variable is a list (<c>array.*</c>) rather than text (<c>string.*</c>).</param>
public sealed record ConditionRow(string Join, string Variable, string Operator, string Value, ConditionValueKind Kind, bool OnList = false);

/// <summary>
/// A condition as rows a person fills in — (variable, operator, value) joined by 且/或 — and its Scriban expression. Only
/// expressions the rows can say exactly are read; anything else stays text for the expert, so the builder never rewrites
/// what it does not understand. And binds tighter than or, as in Scriban: <c>a || b &amp;&amp; c</c> is <c>a || (b &amp;&amp; c)</c>,
/// and the builder writes the brackets out when it mixes them.
/// </summary>
public static partial class GuidedCondition
{
    /// <summary>The operators a row can use.</summary>
    public static readonly IReadOnlyList<string> Operators = ["==", "!=", ">", ">=", "<", "<=", "contains", "!contains", "empty", "!empty"];

    /// <summary>And, or.</summary>
    public const string And = "&&";

    /// <summary>Or.</summary>
    public const string Or = "||";

    private static readonly string[] Comparisons = ["==", "!=", ">=", "<=", ">", "<"];

    /// <summary>Names that are not variables: literals, and the builtin function groups the builder itself writes.</summary>
    private static readonly HashSet<string> NotVariables = new(StringComparer.Ordinal) { "true", "false", "null", "empty", "string", "array", "math", "date", "object" };

    /// <summary>Whether the operator compares with a value (the emptiness tests do not).</summary>
    public static bool TakesValue(string op) => op is not ("empty" or "!empty");

    /// <summary>The Scriban expression the rows say; empty rows (no variable) are left out.</summary>
    public static string Write(IReadOnlyList<ConditionRow> rows)
    {
        var used = rows.Where(r => r.Variable.Length > 0).ToList();
        var groups = new List<List<string>>();
        for (var i = 0; i < used.Count; i++)
        {
            if (i == 0 || used[i].Join == Or)
            {
                groups.Add([]);
            }

            groups[^1].Add(WriteRow(used[i]));
        }

        return string.Join(" || ", groups.Select(g => groups.Count > 1 && g.Count > 1 ? $"({string.Join(" && ", g)})" : string.Join(" && ", g)));
    }

    /// <summary>The rows an expression says, or null when the rows cannot say it exactly (the expert edits it as text).</summary>
    public static IReadOnlyList<ConditionRow>? Read(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return [];
        }

        var tokens = Tokenize(expression);
        if (tokens is null)
        {
            return null;
        }

        var reader = new Reader(tokens);
        var groups = reader.Or();
        if (groups is null || !reader.AtEnd)
        {
            return null;
        }

        var rows = new List<ConditionRow>();
        foreach (var group in groups)
        {
            for (var i = 0; i < group.Count; i++)
            {
                rows.Add(group[i] with { Join = i == 0 && rows.Count > 0 ? Or : And });
            }
        }

        return rows;
    }

    /// <summary>How a value typed for a variable of a known type is written; unknown types are guessed from the text.</summary>
    public static ConditionValueKind KindFor(string? variableType, string value) => variableType switch
    {
        "number" => IsNumber(value) ? ConditionValueKind.Number : ConditionValueKind.Text,
        "boolean" => value is "true" or "false" ? ConditionValueKind.Boolean : ConditionValueKind.Text,
        "string" or "datetime" or "date" or "text" or "choice" or "attachment" => ConditionValueKind.Text,
        _ => value is "true" or "false" ? ConditionValueKind.Boolean : IsNumber(value) ? ConditionValueKind.Number : ConditionValueKind.Text,
    };

    /// <summary>Whether text is a number literal the builder writes as one.</summary>
    public static bool IsNumber(string value) => NumberLiteral().IsMatch(value);

    private static string WriteRow(ConditionRow row)
    {
        var group = row.OnList ? "array" : "string";
        return row.Operator switch
        {
            "contains" => $"({group}.contains {row.Variable} {Literal(row)})",
            "!contains" => $"!({group}.contains {row.Variable} {Literal(row)})",
            "empty" => row.OnList ? $"(array.size {row.Variable}) == 0" : $"(string.empty {row.Variable})",
            "!empty" => row.OnList ? $"(array.size {row.Variable}) > 0" : $"!(string.empty {row.Variable})",
            var op => $"{row.Variable} {op} {Literal(row)}",
        };
    }

    private static string Literal(ConditionRow row) => row.Kind switch
    {
        ConditionValueKind.Number when IsNumber(row.Value) => row.Value,
        ConditionValueKind.Boolean when row.Value is "true" or "false" => row.Value,
        _ => Quote(row.Value),
    };

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"", text.Length + 2);
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private enum TokenKind
    {
        Name,
        Text,
        Number,
        Symbol,
    }

    private sealed record Token(TokenKind Kind, string Text);

    /// <summary>The tokens of the part of Scriban the rows use, or null for anything else (an unknown escape, an indexer, a pipe…).</summary>
    private static List<Token>? Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_' || (text[i] == '.' && i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] == '_'))))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, text[start..i]));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && (tokens.Count == 0 || tokens[^1].Kind == TokenKind.Symbol)))
            {
                var match = NumberAt().Match(text, i);
                var end = i + match.Length;
                if (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '.' or '_'))
                {
                    // 1.5.2, 3e5 or 2x: not a number the rows write.
                    return null;
                }

                tokens.Add(new Token(TokenKind.Number, match.Value));
                i = end;
            }
            else if (c is '"' or '\'')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        return null;
                    }

                    if (text[i] == c)
                    {
                        i++;
                        break;
                    }

                    if (text[i] == '\\')
                    {
                        if (i + 1 >= text.Length)
                        {
                            return null;
                        }

                        char? unescaped = text[i + 1] switch { '"' => '"', '\'' => '\'', '\\' => '\\', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => null };
                        if (unescaped is not { } u)
                        {
                            return null;
                        }

                        value.Append(u);
                        i += 2;
                    }
                    else
                    {
                        value.Append(text[i++]);
                    }
                }

                tokens.Add(new Token(TokenKind.Text, value.ToString()));
            }
            else if (Symbol(text, i) is { } symbol)
            {
                tokens.Add(new Token(TokenKind.Symbol, symbol));
                i += symbol.Length;
            }
            else
            {
                return null;
            }
        }

        return tokens;
    }

    private static string? Symbol(string text, int i)
    {
        foreach (var symbol in (string[])["&&", "||", "==", "!=", ">=", "<=", ">", "<", "(", ")", "!"])
        {
            if (string.CompareOrdinal(text, i, symbol, 0, symbol.Length) == 0)
            {
                return symbol;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads an or of and-groups. A bracketed part joins its surroundings only where that changes nothing: an and-group
    /// inside an and-group, or an or inside an or. <c>a &amp;&amp; (b || c)</c> is not rows, so it stays text.
    /// </summary>
    private sealed class Reader(List<Token> tokens)
    {
        private int _at;

        public bool AtEnd => _at == tokens.Count;

        private Token? Peek(int ahead = 0) => _at + ahead < tokens.Count ? tokens[_at + ahead] : null;

        private bool IsSymbol(string symbol, int ahead = 0) => Peek(ahead) is { Kind: TokenKind.Symbol } t && t.Text == symbol;

        public List<List<ConditionRow>>? Or()
        {
            var groups = new List<List<ConditionRow>>();
            do
            {
                var group = AndGroup();
                if (group is null)
                {
                    return null;
                }

                groups.AddRange(group);
            }
            while (Take(GuidedCondition.Or));

            return groups;
        }

        private List<List<ConditionRow>>? AndGroup()
        {
            var terms = new List<List<List<ConditionRow>>>();
            do
            {
                var term = Term();
                if (term is null)
                {
                    return null;
                }

                terms.Add(term);
            }
            while (Take(And));

            if (terms.Count == 1)
            {
                return terms[0];
            }

            // Several terms joined by and: each must be a single and-group, or flattening would change the meaning.
            return terms.All(t => t.Count == 1) ? [[.. terms.SelectMany(t => t[0])]] : null;
        }

        private List<List<ConditionRow>>? Term()
        {
            if (IsSymbol("(") && !IsCallAhead(1))
            {
                _at++;
                var inner = Or();
                return inner is not null && Take(")") ? inner : null;
            }

            return Row() is { } row ? [[row]] : null;
        }

        private bool IsCallAhead(int ahead) => Peek(ahead) is { Kind: TokenKind.Name } name && name.Text is "string.contains" or "array.contains" or "string.empty" or "array.size";

        private ConditionRow? Row()
        {
            var negated = Take("!");
            if (IsSymbol("("))
            {
                // (string.contains x "v"), (string.empty x), (array.size x) == 0 — the brackets the builder writes.
                _at++;
                var call = Call();
                if (call is null || !Take(")"))
                {
                    return null;
                }

                return Finish(call, negated, bracketed: true);
            }

            if (negated)
            {
                // !string.contains x "v" is fine as the last thing; anything after it would become the call's argument.
                return Call() is { } bare && (AtEnd || IsSymbol(")")) ? Finish(bare, negated: true, bracketed: false) : null;
            }

            if (IsCallAhead(0))
            {
                return Call() is { } bare && (AtEnd || IsSymbol(")")) ? Finish(bare, negated: false, bracketed: false) : null;
            }

            var variable = Variable();
            if (variable is null || Peek() is not { Kind: TokenKind.Symbol } op || !Comparisons.Contains(op.Text))
            {
                return null;
            }

            _at++;
            return Literal() is { } literal ? new ConditionRow(And, variable, op.Text, literal.Value, literal.Kind) : null;
        }

        /// <summary>A row from a function call, with what may follow it: <c>array.size</c> needs <c>== 0</c> or <c>&gt; 0</c>.</summary>
        private ConditionRow? Finish(ConditionRow call, bool negated, bool bracketed)
        {
            if (call.Operator == "size")
            {
                if (negated || !bracketed || Peek() is not { Kind: TokenKind.Symbol } op || op.Text is not ("==" or ">") || Peek(1) is not { Kind: TokenKind.Number, Text: "0" })
                {
                    return null;
                }

                _at += 2;
                return call with { Operator = op.Text == "==" ? "empty" : "!empty" };
            }

            return negated ? call with { Operator = "!" + call.Operator } : call;
        }

        private ConditionRow? Call()
        {
            if (Peek() is not { Kind: TokenKind.Name } name)
            {
                return null;
            }

            _at++;
            var variable = Variable();
            if (variable is null)
            {
                return null;
            }

            switch (name.Text)
            {
                case "string.empty":
                    return new ConditionRow(And, variable, "empty", "", ConditionValueKind.Text);
                case "array.size":
                    return new ConditionRow(And, variable, "size", "", ConditionValueKind.Text, OnList: true);
                case "string.contains" or "array.contains":
                    return Literal() is { } literal ? new ConditionRow(And, variable, "contains", literal.Value, literal.Kind, OnList: name.Text == "array.contains") : null;
                default:
                    return null;
            }
        }

        private string? Variable()
        {
            if (Peek() is not { Kind: TokenKind.Name } name || NotVariables.Contains(name.Text.Split('.')[0]))
            {
                return null;
            }

            _at++;
            return name.Text;
        }

        private (string Value, ConditionValueKind Kind)? Literal()
        {
            var token = Peek();
            (string, ConditionValueKind)? literal = token switch
            {
                { Kind: TokenKind.Text } => (token.Text, ConditionValueKind.Text),
                { Kind: TokenKind.Number } => (token.Text, ConditionValueKind.Number),
                { Kind: TokenKind.Name, Text: "true" or "false" } => (token.Text, ConditionValueKind.Boolean),
                _ => null,
            };
            if (literal is not null)
            {
                _at++;
            }

            return literal;
        }

        private bool Take(string symbol)
        {
            if (!IsSymbol(symbol))
            {
                return false;
            }

            _at++;
            return true;
        }
    }

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLiteral();

    [GeneratedRegex(@"\G-?[0-9]+(\.[0-9]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex NumberAt();
}
