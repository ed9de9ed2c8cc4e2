using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace MatlabMcp.Output.Code;

/// <summary>What an .m file is: a script (runs in the workspace), a function (called with arguments) or a class.</summary>
internal enum MFileKind { Script, Function, Class }

/// <summary>One <c>%%</c> cell of a file: 1-based index, its title ("" when untitled) and its lines (1-based, inclusive).</summary>
internal sealed record CodeSection(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("start_line")] int StartLine,
    [property: JsonPropertyName("end_line")] int EndLine);

/// <summary>list_sections' result.</summary>
internal sealed record SectionListReport(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("sections")] IReadOnlyList<CodeSection> Sections);

/// <summary>
/// An .m file read as MATLAB's editor reads it, without running anything: its kind, its function's outputs, and its cells.
/// Line-based on purpose: MATLAB's own rules for both are about lines (a cell break is a line, a function file is one whose
/// first statement is <c>function</c>), and a cell must be found even in a file that does not parse.
/// </summary>
internal sealed partial class MFile
{
    private readonly string[] _lines;

    private MFile(string[] lines, MFileKind kind, int outputs)
    {
        _lines = lines;
        Kind = kind;
        Outputs = outputs;
    }

    public MFileKind Kind { get; }

    /// <summary>How many outputs to ask the function for: its named outputs; 1 for <c>varargout</c> alone; 0 for a script.</summary>
    public int Outputs { get; }

    public int LineCount => _lines.Length;

    public string KindName => Kind switch { MFileKind.Function => "function", MFileKind.Class => "class", _ => "script" };

    public static MFile Parse(string text)
    {
        var lines = text.Split('\n');
        for (var k = 0; k < lines.Length; k++)
            lines[k] = lines[k].TrimEnd('\r');
        if (lines.Length > 1 && lines[^1].Length == 0)
            lines = lines[..^1]; // the final newline ends the last line; it does not start another
        var (kind, outputs) = (MFileKind.Script, 0);
        if (FirstStatement(lines) is { } first)
        {
            if (Keyword(first, "classdef"))
                kind = MFileKind.Class;
            else if (Keyword(first, "function"))
                (kind, outputs) = (MFileKind.Function, CountOutputs(first));
        }
        return new MFile(lines, kind, outputs);
    }

    /// <summary>
    /// The cells, by MATLAB's rule: a line whose first non-blank characters are <c>%%</c> followed by a blank or the line's
    /// end starts one (<c>%%%</c> and <c>%%x</c> do not; nor does a <c>%%</c> inside a <c>%{ … %}</c> block comment). Lines
    /// before the first break form an untitled cell of their own when they hold code (MATLAB counts a comment-only header as
    /// one too; left out here, so that index n is the n-th <c>%%</c> in the usual file). A file without breaks is one cell.
    /// In a function file the breaks are cells too: MATLAB's editor shows and folds them there, but runs sections only of scripts.
    /// </summary>
    public IReadOnlyList<CodeSection> Sections()
    {
        var starts = new List<(int Line, string Title)>();
        var depth = 0;
        for (var k = 0; k < _lines.Length; k++)
        {
            var trimmed = _lines[k].Trim();
            if (trimmed == "%{")
                depth++;
            else if (trimmed == "%}" && depth > 0)
                depth--;
            else if (depth == 0 && IsBreak(trimmed))
                starts.Add((k + 1, trimmed[2..].Trim()));
        }
        if (starts.Count == 0 || starts[0].Line > 1 && FirstStatement(_lines[..(starts[0].Line - 1)]) is not null)
            starts.Insert(0, (1, ""));
        var sections = new List<CodeSection>(starts.Count);
        for (var k = 0; k < starts.Count; k++)
        {
            var end = k + 1 < starts.Count ? starts[k + 1].Line - 1 : Math.Max(_lines.Length, starts[k].Line);
            sections.Add(new CodeSection(k + 1, starts[k].Title, starts[k].Line, end));
        }
        return sections;
    }

    /// <summary>
    /// A cell's code, preceded by one empty line per line above it: the engine then reports errors, and the code policy its
    /// findings, at the file's own line numbers, with nothing to translate.
    /// </summary>
    public string CellCode(CodeSection section) =>
        new string('\n', section.StartLine - 1) + string.Join('\n', _lines[(section.StartLine - 1)..Math.Min(section.EndLine, _lines.Length)]);

    private static bool IsBreak(string trimmed) =>
        trimmed.StartsWith("%%", StringComparison.Ordinal) && (trimmed.Length == 2 || trimmed[2] is ' ' or '\t');

    /// <summary>The first line that is code: blank lines, comment lines and block comments skipped.</summary>
    private static string? FirstStatement(string[] lines)
    {
        var depth = 0;
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (trimmed is "%{" or "#{")
                depth++;
            else if (trimmed is "%}" or "#}" && depth > 0)
                depth--;
            else if (depth == 0 && trimmed.Length > 0 && trimmed[0] is not ('%' or '#'))
                return trimmed;
        }
        return null;
    }

    private static bool Keyword(string line, string keyword) =>
        line.StartsWith(keyword, StringComparison.Ordinal) && (line.Length == keyword.Length || !IsNameChar(line[keyword.Length]));

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Outputs of <c>function [a, b] = f(…)</c> or <c>function a = f(…)</c>; <c>varargout</c> alone asks for one.</summary>
    private static int CountOutputs(string declaration)
    {
        var match = Signature().Match(declaration);
        if (!match.Success)
            return 0;
        var names = match.Groups["list"].Success
            ? match.Groups["list"].Value.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            : [match.Groups["one"].Value];
        var fixedOutputs = names.Count(n => n != "varargout");
        return fixedOutputs == 0 && names.Contains("varargout") ? 1 : fixedOutputs;
    }

    [GeneratedRegex(@"^function\s*(?:\[(?<list>[^\]=]*)\]\s*=|(?<one>[A-Za-z]\w*)\s*=)")]
    private static partial Regex Signature();
}
