using System.Text.RegularExpressions;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Architecture;

/// <summary>
/// Folders depend one way: Endpoints → Execution → Jobs → Pool, with Security, Output and Configuration as leaves
/// (issue 12): Configuration (settings) and Output (the wire vocabulary) depend on nothing; Security may read both;
/// Analysis (lint for check_code, issue 14) sits beside Security and reads its lexer.
/// Read from the sources (namespaces follow folders): a new reference the wrong way fails here, and so does an
/// exception below once nothing needs it, so the list only shrinks.
/// </summary>
public sealed partial class FolderDependencyTests
{
    private static readonly string[] Folders = ["Analysis", "Configuration", "Endpoints", "Execution", "Jobs", "Output", "Pool", "Security"];

    /// <summary>Who may use whom. Configuration and Output are leaves everyone may read.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Endpoints"] = ["Analysis", "Configuration", "Execution", "Jobs", "Output", "Pool", "Security"],
        ["Execution"] = ["Analysis", "Configuration", "Jobs", "Output", "Pool", "Security"],
        ["Jobs"] = ["Analysis", "Configuration", "Output", "Pool", "Security"],
        ["Pool"] = ["Analysis", "Configuration", "Output", "Security"],
        ["Security"] = ["Configuration", "Output"],
        ["Analysis"] = ["Configuration", "Output", "Security"], // check_code's lint, read from Security's lexer
        ["Output"] = ["Configuration"],
        ["Configuration"] = [],
    };

    /// <summary>Wrong-way references tolerated for now: none. A new one is a design change to argue for here, not a shortcut.</summary>
    private static readonly HashSet<string> KnownExceptions = [];

    [Test]
    public async Task NoFolderReachesTheWrongWay_AndEveryKnownExceptionIsStillNeeded()
    {
        var actual = new HashSet<string>();
        foreach (var folder in Folders)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, folder), "*.cs", SearchOption.AllDirectories))
                foreach (Match m in Reference().Matches(await File.ReadAllTextAsync(file)))
                    if (m.Groups[1].Value is var target && target != folder && Folders.Contains(target))
                        actual.Add($"{folder} -> {target}");

        var wrongWay = actual.Where(e => !Allowed[e.Split(" -> ")[0]].Contains(e.Split(" -> ")[1]) && !KnownExceptions.Contains(e));
        var noLongerNeeded = KnownExceptions.Where(e => !actual.Contains(e));

        await Assert.That(wrongWay).IsEmpty().Because("these folders now reach the wrong way (see the class summary)");
        await Assert.That(noLongerNeeded).IsEmpty().Because("these exceptions are gone from the code: remove them from KnownExceptions");
    }

    [Test]
    public async Task OnlyEndpoints_KnowsMcp()
    {
        // Below Endpoints/ a run talks to an IExecutionObserver; MCP notifications, elicitation and tool results are adapted there.
        var knowing = new List<string>();
        foreach (var folder in Folders.Where(f => f != "Endpoints"))
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, folder), "*.cs", SearchOption.AllDirectories))
                if ((await File.ReadAllTextAsync(file)).Contains("ModelContextProtocol", StringComparison.Ordinal))
                    knowing.Add(Path.GetRelativePath(Repo.Root, file));

        await Assert.That(knowing).IsEmpty().Because("only Endpoints/ may use the MCP SDK's types");
    }

    [GeneratedRegex(@"\bMatlabMcp\.(\w+)")]
    private static partial Regex Reference();
}
