using System.Text;
using System.Text.RegularExpressions;

namespace MatlabMcp.Output.Discovery;

/// <summary>
/// Octave's Texinfo docstrings as plain text for an agent. Octave's own help runs makeinfo (a Perl program) for every
/// call: 0.4 s on an idle machine, over a second under load. This does the subset Octave's docstrings use, line by
/// line, in microseconds: signatures (<c>@deftypefn</c> → <c> -- y = f (X)</c>), examples indented, lists and tables,
/// <c>@tex</c> and HTML-only blocks dropped, inline markup (<c>@var{x}</c> → X, <c>@code{x}</c> → 'x', <c>@dots{}</c> → ...)
/// resolved innermost first. Anything it does not know keeps its text, so nothing of the docstring is lost.
/// </summary>
internal static partial class Texinfo
{
    /// <summary>Blocks whose content is not for a text reader (typeset math, HTML, the printed manual).</summary>
    private static readonly HashSet<string> DroppedBlocks = ["tex", "iftex", "ifhtml", "html", "ifdocbook", "ifxml", "latex", "iflatex"];

    /// <summary>Lines that only carry index entries or layout hints.</summary>
    private static readonly HashSet<string> DroppedLines = ["noindent", "cindex", "findex", "vindex", "kindex", "pindex", "tindex",
        "anchor", "group", "end", "ifnottex", "ifinfo", "ifnothtml", "ifplaintext", "page", "need", "indent", "c", "comment", "sp"];

    [GeneratedRegex(@"^@(\w+)\s*(.*)$")]
    private static partial Regex Command();

    [GeneratedRegex(@"@(\w+)\{([^{}]*)\}")]
    private static partial Regex Inline();

    public static string ToText(string texinfo)
    {
        var text = new StringBuilder();
        string? dropping = null;
        var indent = "";
        var lists = new Stack<(string Kind, int Count)>();
        string? bullet = null; // an @item alone on its line: its mark goes before the next line of text
        foreach (var raw in texinfo.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.StartsWith(' ') ? raw[1..] : raw; // docstrings from "## " comments keep one leading space
            if (line.Contains("-*- texinfo -*-", StringComparison.Ordinal))
                continue;
            var command = Command().Match(line.TrimStart());
            var name = command.Success ? command.Groups[1].Value : "";
            var rest = command.Success ? command.Groups[2].Value : "";
            if (dropping is not null)
            {
                if (name == "end" && rest.Trim() == dropping)
                    dropping = null;
                continue;
            }
            switch (name)
            {
                case var block when DroppedBlocks.Contains(block):
                    dropping = block;
                    continue;
                case "deftypefn" or "deftypefnx" or "deftypefun" or "deftypefunx":
                    text.Append(" -- ").AppendLine(Inlines(Signature(rest, name.StartsWith("deftypefn", StringComparison.Ordinal))));
                    continue;
                case "example" or "smallexample" or "verbatim" or "display" or "format" or "lisp" or "quotation":
                    indent = "     ";
                    continue;
                case "end" when rest.Trim() is "example" or "smallexample" or "verbatim" or "display" or "format" or "lisp" or "quotation":
                    indent = "";
                    continue;
                case "itemize" or "enumerate" or "table" or "ftable" or "vtable" or "multitable":
                    lists.Push((name, 0));
                    continue;
                case "end" when rest.Trim() is "itemize" or "enumerate" or "table" or "ftable" or "vtable" or "multitable":
                    if (lists.Count > 0)
                        lists.Pop();
                    continue;
                case "item" or "itemx" or "headitem":
                    var item = Item(lists, Inlines(rest));
                    if (rest.Trim().Length == 0)
                        bullet = item;
                    else
                        text.AppendLine(item);
                    continue;
                case "seealso":
                    text.Append("\nSee also: ").Append(Inlines(Braced(rest))).AppendLine(".");
                    continue;
                case var other when DroppedLines.Contains(other):
                    continue;
            }
            if (bullet is not null && line.Trim().Length > 0)
            {
                text.Append(bullet).AppendLine(Inlines(line.TrimStart()));
                bullet = null;
                continue;
            }
            text.Append(indent).AppendLine(Inlines(line));
        }
        return CollapseBlankLines(text.ToString()).Trim('\n');
    }

    /// <summary><c>{category} {y =} name (args)</c> → <c>y = name (args)</c> (the category says nothing to a reader).</summary>
    private static string Signature(string rest, bool hasCategory)
    {
        var groups = new List<string>();
        var position = 0;
        while (groups.Count < (hasCategory ? 2 : 1) && position < rest.Length)
        {
            while (position < rest.Length && rest[position] == ' ')
                position++;
            if (position >= rest.Length || rest[position] != '{')
                break;
            var depth = 0;
            var start = position;
            for (; position < rest.Length; position++)
            {
                depth += rest[position] switch { '{' => 1, '}' => -1, _ => 0 };
                if (depth == 0)
                    break;
            }
            groups.Add(rest[(start + 1)..Math.Min(position, rest.Length)]);
            position++;
        }
        var returns = groups.Count > 0 ? groups[^1].Trim() : "";
        var call = position < rest.Length ? rest[position..].Trim() : "";
        return returns.Length > 0 ? $"{returns} {call}" : call;
    }

    private static string Item(Stack<(string Kind, int Count)> lists, string text)
    {
        if (lists.Count == 0)
            return text;
        var (kind, count) = lists.Pop();
        lists.Push((kind, count + 1));
        return kind switch
        {
            "itemize" => "  * " + text,
            "enumerate" => $"  {count + 1}. {text}",
            "multitable" => "  " + text.Replace("@tab", "\t", StringComparison.Ordinal),
            _ => text, // a table's term; its description follows on the next lines
        };
    }

    /// <summary>The text between the first brace and its match (a command's whole argument), or the rest as it is.</summary>
    private static string Braced(string rest)
    {
        var open = rest.IndexOf('{', StringComparison.Ordinal);
        var close = rest.LastIndexOf('}');
        return open >= 0 && close > open ? rest[(open + 1)..close] : rest;
    }

    /// <summary>Inline markup, innermost first, so <c>@code{@var{x}}</c> becomes 'X'.</summary>
    private static string Inlines(string line)
    {
        if (!line.Contains('@', StringComparison.Ordinal))
            return line;
        // Escaped characters out of the way first: @@ is an at sign, @{ and @} are braces.
        line = line.Replace("@@", "\u0001", StringComparison.Ordinal).Replace("@{", "\u0002", StringComparison.Ordinal)
            .Replace("@}", "\u0003", StringComparison.Ordinal);
        for (var pass = 0; pass < 8 && Inline().IsMatch(line); pass++)
            line = Inline().Replace(line, m => InlineCommand(m.Groups[1].Value, m.Groups[2].Value));
        line = line.Replace("@*", "", StringComparison.Ordinal).Replace("@:", "", StringComparison.Ordinal)
            .Replace("@.", ".", StringComparison.Ordinal).Replace("@tab", "\t", StringComparison.Ordinal);
        return line.Replace('\u0001', '@').Replace('\u0002', '{').Replace('\u0003', '}');
    }

    private static string InlineCommand(string name, string argument) => name switch
    {
        "var" => argument.ToUpperInvariant(),
        "code" or "samp" or "file" or "command" or "option" or "env" or "kbd" or "key" => $"'{argument}'",
        "qcode" => argument,
        "emph" or "i" => $"_{argument}_",
        "strong" or "b" => $"*{argument}*",
        "dots" => "...",
        "result" => "=>",
        "print" => "-|",
        "error" => "error->",
        "equiv" => "==",
        "expansion" => "==>",
        "minus" => "-",
        "bullet" => "*",
        "copyright" => "(C)",
        "tie" => " ",
        "TeX" => "TeX",
        "LaTeX" => "LaTeX",
        "xref" or "pxref" or "ref" => "see " + argument.Split(',')[0].Trim(),
        "url" or "uref" or "email" => argument.Split(',')[0].Trim(),
        "footnote" => $" ({argument})",
        "anchor" or "cindex" or "findex" => "",
        _ => argument, // math, sc, w, t, r, dfn, cite, acronym, nospell, ...: the text itself
    };

    private static string CollapseBlankLines(string text)
    {
        var lines = text.Split('\n');
        var kept = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var line in lines)
        {
            blank = line.Trim().Length == 0 ? blank + 1 : 0;
            if (blank <= 1)
                kept.Append(line.TrimEnd()).Append('\n');
        }
        return kept.ToString();
    }
}
