using System.Collections;
using System.Globalization;

namespace MatlabMcp;

/// <summary>The server's command line. With no arguments it speaks MCP over stdio.</summary>
internal sealed record CommandLine(string Transport, string? ConfigPath, bool Verbose)
{
    public const string Usage =
        "usage: matlab-mcp [--transport stdio|http] [--host ADDRESS] [--port N] [--config FILE] [--verbose]\n" +
        "       matlab-mcp --generate-token [--identity NAME] [--config FILE]\n" +
        "       matlab-mcp --help | --version";

    /// <summary>What --help prints: the usage, then what each flag does.</summary>
    public const string Help =
        "matlab-mcp: an MCP server that runs MATLAB and GNU Octave code in persistent, sandboxed engines.\n" + Usage + "\n\n" +
        "  --transport stdio|http  stdio (default) for a client that spawns the server; http serves /mcp and /health\n" +
        "  --host ADDRESS          HTTP listen address (server.host); anything but loopback requires bearer auth\n" +
        "  --port N                HTTP port (server.port)\n" +
        "  --config FILE           YAML configuration (or MATLAB_MCP_CONFIG); every key also reads MATLAB_MCP_<SECTION>__<KEY>\n" +
        "  --verbose               debug logs on stderr\n" +
        "  --generate-token        print a new bearer token, its auth.tokens_file line and client snippets\n" +
        "  --identity NAME         the identity the token is for (with --generate-token)\n" +
        "  --help, -h              this text\n" +
        "  --version               the server's version";

    /// <summary>The version --version prints and serverInfo carries.</summary>
    public static string Version => typeof(CommandLine).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";

    /// <summary>Print <see cref="Help"/> and exit.</summary>
    public bool ShowHelp { get; init; }

    /// <summary>Print <see cref="Version"/> and exit.</summary>
    public bool ShowVersion { get; init; }

    /// <summary>HTTP listen address; overrides server.host.</summary>
    public string? Host { get; init; }

    /// <summary>HTTP port; overrides server.port.</summary>
    public int? Port { get; init; }

    /// <summary>Print a new bearer token, its tokens-file line and client snippets, then exit.</summary>
    public bool GenerateToken { get; init; }

    /// <summary>Identity for <see cref="GenerateToken"/>; "default" when not given.</summary>
    public string? Identity { get; init; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine("stdio", null, false);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            result = args[i] switch
            {
                "--transport" => result with { Transport = Value() },
                "--config" => result with { ConfigPath = Value() },
                "--verbose" => result with { Verbose = true },
                "--host" => result with { Host = Value() },
                "--port" => result with { Port = ParsePort(Value()) },
                "--generate-token" => result with { GenerateToken = true },
                "--identity" => result with { Identity = Value() },
                "--help" or "-h" => result with { ShowHelp = true },
                "--version" => result with { ShowVersion = true },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'.\n{Usage}"),
            };
        }
        if (result.ShowHelp || result.ShowVersion)
            return result; // asked what the program is: nothing else on the line matters
        if (result.Transport is not ("stdio" or "http"))
            throw new ArgumentException($"--transport must be stdio or http, not '{result.Transport}'.\n{Usage}");
        if (result.Transport == "stdio" && !result.GenerateToken && (result.Host is not null || result.Port is not null))
            throw new ArgumentException($"--host and --port apply to --transport http.\n{Usage}");
        if (result.Identity is not null && !result.GenerateToken)
            throw new ArgumentException($"--identity applies to --generate-token.\n{Usage}");
        return result;
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new ArgumentException($"--port must be a number from 0 to 65535, not '{text}'.");

    public static IReadOnlyDictionary<string, string> EnvironmentVariables() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
}
