using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MatlabMcp.Output.Code;

/// <summary>Choosing a cell by what an agent passes, and the short listing an agent reads.</summary>
internal static class SectionText
{
    /// <summary>Longest title an agent may pass (a cell title is one line).</summary>
    public const int MaxTitleChars = 200;

    /// <summary>
    /// The cell <paramref name="selector"/> names: a 1-based index (a number or a numeric string), else a title: exact, then
    /// equal ignoring case, then the one title starting with it ignoring case. The refusal for the agent, or null.
    /// </summary>
    public static string? Find(JsonElement selector, IReadOnlyList<CodeSection> sections, out CodeSection? found)
    {
        found = null;
        string text;
        switch (selector.ValueKind)
        {
            case JsonValueKind.Number when selector.TryGetInt32(out var number):
                return ByIndex(number, sections, out found);
            case JsonValueKind.String:
                text = selector.GetString()!;
                break;
            default:
                return "section must be a 1-based index such as 2, or a title.";
        }
        if (text.Length == 0 || text.Length > MaxTitleChars)
            return $"section must be a 1-based index or a title of 1 to {MaxTitleChars} characters.";
        if (text.Any(char.IsControl))
            return "section contains a control character: pass a 1-based index or a title as list_sections shows it.";
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return ByIndex(index, sections, out found);
        var titled = sections.Where(s => s.Title.Length > 0).ToList();
        found = titled.FirstOrDefault(s => s.Title == text) ?? Unique(titled.Where(s => string.Equals(s.Title, text.Trim(), StringComparison.OrdinalIgnoreCase)));
        if (found is not null)
            return null;
        var prefixed = titled.Where(s => s.Title.StartsWith(text.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        if (prefixed.Count == 1)
        {
            found = prefixed[0];
            return null;
        }
        return prefixed.Count > 1
            ? $"'{text}' starts {prefixed.Count} section titles ({string.Join(", ", prefixed.Select(s => $"{s.Index} \"{s.Title}\""))}): pass more of the title, or the index."
            : $"No section is titled '{text}'.";
    }

    private static CodeSection? Unique(IEnumerable<CodeSection> matches)
    {
        var list = matches.Take(2).ToList();
        return list.Count == 1 ? list[0] : null;
    }

    private static string? ByIndex(int index, IReadOnlyList<CodeSection> sections, out CodeSection? found)
    {
        found = index >= 1 && index <= sections.Count ? sections[index - 1] : null;
        return found is null ? $"There is no section {index}: the file has {sections.Count} (1 to {sections.Count})." : null;
    }

    /// <summary>"section 2 \"Plot\"", or "section 1 (untitled)".</summary>
    public static string Name(CodeSection section) =>
        section.Title.Length > 0 ? $"section {section.Index} \"{section.Title}\"" : $"section {section.Index} (untitled)";

    /// <summary>One line per cell: index, lines, title.</summary>
    public static string Listing(string file, MFile mfile, IReadOnlyList<CodeSection> sections)
    {
        var text = new StringBuilder($"{file}: {mfile.KindName}, {mfile.LineCount} lines, ");
        text.Append(sections.Count == 1 && sections[0].Title.Length == 0 && sections[0].StartLine == 1
            ? "no %% sections (the whole file is one cell)"
            : $"{sections.Count} sections");
        if (mfile.Kind != MFileKind.Script)
            text.Append(" (only a script's sections run on their own)");
        foreach (var s in sections)
            text.Append($"\n{s.Index}\tlines {s.StartLine}-{s.EndLine}\t{(s.Title.Length > 0 ? s.Title : "(untitled)")}");
        return text.ToString();
    }
}
