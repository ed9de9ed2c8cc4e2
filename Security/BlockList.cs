using System.Collections.Frozen;

namespace MatlabMcp.Security;

/// <summary>The blocked entries of <c>code_policy</c>, minus the allowed ones, compiled for lookups by span.</summary>
internal sealed class BlockList
{
    private readonly FrozenSet<string> _names;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _nameLookup;
    private readonly FrozenSet<string> _packages;
    private readonly FrozenDictionary<string, FrozenSet<string>> _subcommands;
    private readonly FrozenDictionary<string, FrozenSet<string>>.AlternateLookup<ReadOnlySpan<char>> _subcommandLookup;
    private readonly FrozenSet<string> _allowed;

    public BlockList(IEnumerable<string> blocked, IEnumerable<string> allowed)
    {
        _allowed = allowed.ToFrozenSet(StringComparer.Ordinal);
        var entries = blocked.Where(e => !_allowed.Contains(e)).ToList();
        ShellEscape = entries.Contains("!");
        _packages = entries.Where(e => e.EndsWith(".*", StringComparison.Ordinal)).Select(e => e[..^2]).ToFrozenSet(StringComparer.Ordinal);
        _subcommands = entries.Where(e => e.Contains(' ', StringComparison.Ordinal))
            .Select(e => e.Split(' ', 2))
            .GroupBy(p => p[0], StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(p => p[1]).ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);
        _subcommandLookup = _subcommands.GetAlternateLookup<ReadOnlySpan<char>>();
        _names = entries.Where(e => e != "!" && !e.EndsWith(".*", StringComparison.Ordinal) && !e.Contains(' ', StringComparison.Ordinal))
            .ToFrozenSet(StringComparer.Ordinal);
        _nameLookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        HasDottedEntries = _packages.Count > 0 || _names.Any(n => n.Contains('.', StringComparison.Ordinal));
    }

    /// <summary>Whether <c>!</c> at a statement start is refused.</summary>
    public bool ShellEscape { get; }

    /// <summary>Whether a dotted path (py.os.popen) needs to be assembled to be judged.</summary>
    public bool HasDottedEntries { get; }

    /// <summary>Listed in allowed_functions: besides being unblocked, such a function may take run-time names.</summary>
    public bool IsAllowed(string name) => _allowed.Contains(name);

    public bool IsBlocked(ReadOnlySpan<char> name) => _nameLookup.Contains(name);

    /// <summary>The entry that blocks a dotted path such as py.os.popen (segment by segment), or null.</summary>
    public string? Match(IReadOnlyList<string> segments)
    {
        var prefix = "";
        for (var k = 0; k < segments.Count; k++)
        {
            prefix = k == 0 ? segments[0] : $"{prefix}.{segments[k]}";
            // java.lang.Runtime is package access even though java alone is also a blocked function.
            if (k < segments.Count - 1 && _packages.Contains(prefix))
                return prefix + ".*";
            if (_names.Contains(prefix))
                return prefix;
        }
        return null;
    }

    /// <summary>Blocked first arguments of <paramref name="name"/> (pkg → install, ...), if any.</summary>
    public bool TryGetSubcommands(ReadOnlySpan<char> name, out FrozenSet<string> words)
    {
        words = FrozenSet<string>.Empty;
        return _subcommands.Count > 0 && _subcommandLookup.TryGetValue(name, out words!);
    }
}
