using System.Text;
using System.Text.Json.Serialization;

namespace MatlabMcp.Endpoints;

/// <summary>One %! block of an Octave test file, as Octave's test() splits it: its kind (the letters after %!), the rest
/// of its text (every line's %! taken off), where it starts, and a short name for the agent.</summary>
internal sealed record TestBlock(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("name")] string Name);

/// <summary>A test file as the engine gets it: shown as <see cref="File"/>, its folder on the path while it runs; Octave's
/// blocks (parsed here, from the text the code policy checked), or for MATLAB its path for runtests.</summary>
internal sealed record TestFileSpec(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("dir")] string Dir,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("blocks"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<TestBlock>? Blocks);

/// <summary>The argument of matlab/private/mcp_bridge_tests.m.</summary>
internal sealed record TestRunSpec([property: JsonPropertyName("files")] IReadOnlyList<TestFileSpec> Files);

/// <summary>
/// Octave's test-file syntax (the test function's): a block starts at a line beginning "%!" followed by a non-blank
/// character, its kind is the letters there (test, assert, error, warning, fail, shared, function, endfunction, xtest,
/// testif, demo; "%!#" is a comment), and the lines after it that begin "%!" and a blank continue it. Only lines that
/// begin exactly "%!" count, wherever they stand, as in Octave.
/// </summary>
internal static class TestFiles
{
    private const int NameChars = 80;

    /// <summary>Kinds whose blocks are tests (a file without one has nothing for run_tests).</summary>
    private static readonly HashSet<string> TestKinds = new(StringComparer.Ordinal) { "test", "assert", "error", "warning", "fail", "xtest", "testif" };

    /// <summary>Kinds whose code runs under run_tests (demo blocks run only under demo(); a comment or unknown kind never does).</summary>
    private static readonly HashSet<string> RunKinds = new(TestKinds, StringComparer.Ordinal) { "shared", "function", "endfunction" };

    public static IReadOnlyList<TestBlock> Parse(string text)
    {
        var blocks = new List<(string Kind, int Line, StringBuilder Code)>();
        var lines = Lines(text);
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("%!", StringComparison.Ordinal))
                continue;
            var rest = lines[i][2..];
            if (rest.Length > 0 && !char.IsWhiteSpace(rest[0]))
            {
                var kind = Kind(rest);
                blocks.Add((kind, i + 1, new StringBuilder(rest[kind.Length..])));
            }
            else if (blocks.Count > 0)
                blocks[^1].Code.Append('\n').Append(rest);
        }
        return [.. blocks.Select(b => new TestBlock(b.Kind, b.Line, b.Code.ToString(), Name(b.Kind, b.Code.ToString())))];
    }

    /// <summary>Whether the file has a test to run.</summary>
    public static bool HasTests(IReadOnlyList<TestBlock> blocks) => blocks.Any(b => TestKinds.Contains(b.Kind));

    /// <summary>
    /// The code the blocks run, line for line with the file, for the code policy and the audit: a header's code stays on
    /// its line (its keyword, pattern or bug id after it as a comment), a continuation's code as written, and every other
    /// line blank: prose, demo blocks and the file's own function (which runs when called, like any file on the path).
    /// A block-comment marker on a line of its own ("%{") becomes a plain comment: Octave closes it with the block
    /// (each block is evaluated alone), while here it would hide the blocks after it.
    /// </summary>
    public static string PolicyView(string text)
    {
        var lines = Lines(text);
        var view = new StringBuilder(text.Length + 64);
        var kind = "";
        for (var k = 0; k < lines.Length; k++)
        {
            var line = lines[k];
            if (k > 0)
                view.Append('\n');
            if (line.StartsWith("%!", StringComparison.Ordinal))
            {
                var rest = line[2..];
                if (rest.Length > 0 && !char.IsWhiteSpace(rest[0]))
                {
                    kind = Kind(rest);
                    view.Append(HeaderCode(kind, rest));
                }
                else if (RunKinds.Contains(kind))
                    view.Append(rest.Trim() is "%{" or "%}" or "#{" or "#}" ? "% (block comment marker)" : rest);
            }
        }
        return view.ToString();
    }

    /// <summary>A header line's code, with what is not code kept as a trailing comment.</summary>
    private static string HeaderCode(string kind, string header)
    {
        if (!RunKinds.Contains(kind))
            return "";
        var rest = header[kind.Length..];
        string code;
        switch (kind)
        {
            case "assert" or "fail":
                code = kind + AfterAngles(rest);
                break;
            case "test" or "xtest":
                code = AfterAngles(rest);
                break;
            case "error" or "warning":
                var trimmed = rest.TrimStart();
                code = trimmed.StartsWith("id=", StringComparison.Ordinal)
                    ? trimmed[Math.Min(trimmed.Length, IndexOfBlank(trimmed))..] : AfterAngles(rest);
                break;
            case "testif":
                // "HAVE_A, HAVE_B ; condition <bug>": only the run-time condition is code (Octave cuts at # or %).
                var features = rest.Split('#', '%')[0];
                var semicolon = features.IndexOf(';', StringComparison.Ordinal);
                code = semicolon < 0 ? "" : features[(semicolon + 1)..].Split('<')[0].Trim();
                break;
            case "function":
                code = "function" + rest;
                break;
            case "endfunction":
                code = "endfunction";
                break;
            default: // shared: the first line names variables; the code is on the lines after it
                code = "";
                break;
        }
        return code.Trim().Length == 0 ? "%!" + header : $"{code}  % %!{kind}";
    }

    /// <summary>The text after a leading "&lt;...&gt;" (a bug id or an error pattern), or all of it.</summary>
    private static string AfterAngles(string rest)
    {
        var trimmed = rest.TrimStart();
        if (!trimmed.StartsWith('<'))
            return rest;
        var close = trimmed.IndexOf('>', StringComparison.Ordinal);
        return close < 0 ? rest : trimmed[(close + 1)..];
    }

    private static int IndexOfBlank(string text)
    {
        var at = text.IndexOfAny([' ', '\t']);
        return at < 0 ? text.Length : at;
    }

    private static string Kind(string rest)
    {
        var n = 0;
        while (n < rest.Length && char.IsAsciiLetter(rest[n]))
            n++;
        return rest[..n];
    }

    /// <summary>Short and recognisable: the code as the agent wrote it on the block's first line with code.</summary>
    private static string Name(string kind, string code)
    {
        var firstLine = code.Split('\n')[0].Trim();
        var name = kind switch
        {
            "test" or "xtest" or "testif" => FirstCode(kind is "testif" ? code[Math.Max(0, code.IndexOf('\n', StringComparison.Ordinal))..]
                : AfterAngles(code)) is { Length: > 0 } first ? (kind == "test" ? first : $"{kind}: {first}") : $"{kind} {firstLine}".Trim(),
            "" => code.Split('\n')[0].Trim(),
            _ => $"{kind} {firstLine}".Trim(),
        };
        return name.Length <= NameChars ? name : name[..(NameChars - 3)] + "...";
    }

    private static string FirstCode(string code) =>
        code.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && l[0] is not ('%' or '#')) ?? "";

    private static string[] Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
}
