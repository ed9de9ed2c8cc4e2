using MatlabMcp.Security;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Security;

/// <summary>One snippet of a corpus file: its name, code, and what the test expects of it.</summary>
internal sealed record CorpusCase(string Name, string Code, string? Subject, MatlabDialect Dialect, bool RunsInOctave);

/// <summary>
/// Reads tests/MatlabMcp.Tests/Security/corpus/*.txt: a case starts at "=== name [-> subject] [tags]" and runs to
/// the next such line; text before the first case describes the file.
/// </summary>
internal static class Corpus
{
    private static readonly Lazy<IReadOnlyList<CorpusCase>> BypassCases = new(() => Load("bypass.txt"));
    private static readonly Lazy<IReadOnlyList<CorpusCase>> HarmlessCases = new(() => Load("harmless.txt"));

    public static IReadOnlyList<CorpusCase> Bypass => BypassCases.Value;
    public static IReadOnlyList<CorpusCase> Harmless => HarmlessCases.Value;

    public static CorpusCase Find(IReadOnlyList<CorpusCase> cases, string name) => cases.Single(c => c.Name == name);

    /// <summary>One test case per corpus entry, by name (a short, stable test id).</summary>
    public static IEnumerable<string> Names(IEnumerable<CorpusCase> cases) => cases.Select(c => c.Name);

    private static List<CorpusCase> Load(string file)
    {
        var path = Path.Combine(Repo.Root, "tests", "MatlabMcp.Tests", "Security", "corpus", file);
        var cases = new List<CorpusCase>();
        string? header = null;
        var code = new List<string>();
        foreach (var line in File.ReadAllLines(path).Append("=== end"))
        {
            if (!line.StartsWith("=== ", StringComparison.Ordinal))
            {
                if (header is not null)
                    code.Add(line);
                continue;
            }
            if (header is not null)
                cases.Add(Parse(header, string.Join("\n", code).TrimEnd()));
            header = line[4..];
            code.Clear();
        }
        if (cases.Select(c => c.Name).Distinct().Count() != cases.Count)
            throw new InvalidOperationException($"{file}: case names must be unique");
        return cases;
    }

    private static CorpusCase Parse(string header, string code)
    {
        var tags = "";
        var bracket = header.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            tags = header[(bracket + 1)..header.IndexOf(']', bracket)];
            header = header[..bracket];
        }
        var parts = header.Split("->", 2, StringSplitOptions.TrimEntries);
        var tagList = tags.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new CorpusCase(parts[0], code, parts.Length > 1 ? parts[1] : null,
            tagList.Contains("matlab") ? MatlabDialect.Matlab : MatlabDialect.Octave, tagList.Contains("octave"));
    }
}
