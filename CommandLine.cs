using System.Collections;

namespace MatlabMcp;

/// <summary>The server's command line. With no arguments it speaks MCP over stdio.</summary>
internal sealed record CommandLine(string Transport, string? ConfigPath, bool Verbose)
{
    public const string Usage = "usage: matlab-mcp [--transport stdio] [--config FILE] [--verbose]";

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine("stdio", null, false);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            result = args[i] switch
            {
                "--transport" => result with { Transport = Value() },
                "--config" => result with { ConfigPath = Value() },
                "--verbose" => result with { Verbose = true },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'. {Usage}"),
            };
        }
        if (result.Transport != "stdio")
            throw new ArgumentException($"--transport {result.Transport} is not supported yet; use stdio. {Usage}");
        return result;
    }

    public static IReadOnlyDictionary<string, string> EnvironmentVariables() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
}
