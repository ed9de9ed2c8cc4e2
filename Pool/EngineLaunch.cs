using System.Diagnostics;
using MatlabMcp.Configuration;
using MatlabMcp.Security;

namespace MatlabMcp.Pool;

/// <summary>
/// What one engine needs to start: its host folder, the folder it sees (the same, or its sandbox view),
/// its pipes, where the bridge .m files are, and the command lines it is typed.
/// </summary>
internal sealed record EngineLaunch(string WorkingFolder, string RequestPipe, string ResponsePipe, string BridgeFolder)
{
    /// <summary>The session folder as the engine sees it (inside the sandbox it is mounted elsewhere).</summary>
    public string EngineFolder { get; init; } = WorkingFolder;

    /// <summary>True when the engine runs in bubblewrap (its pid namespace then holds exactly its processes).</summary>
    public bool Sandboxed { get; init; }

    /// <summary>The uid of its own the engine runs as, held until the engine is disposed; null when engines share one.</summary>
    public EngineAccount? Account { get; init; }

    /// <summary>Where bubblewrap's arguments are written for it to read (--args); deleted once the engine started.</summary>
    public string? ArgumentsFile { get; init; }

    /// <summary>
    /// Whether the folders its code may work in are fixed at start. Not for an unsandboxed spare: it learns its
    /// session's folder when a session takes it (<see cref="MoveInCommand"/>), before any user code runs.
    /// </summary>
    public bool ConfinedAtStart { get; init; } = true;

    /// <summary>
    /// Octave's prompt is <c>RS "mcp:prompt:" PromptToken LF</c>: the REPL prints it only when it has unwound and waits
    /// for a line, which is when the server may type the bridge command. Random per engine, so output that merely
    /// looks like a prompt is not taken for one.
    /// </summary>
    public string PromptToken { get; init; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    /// <summary>
    /// The line typed on the engine's stdin to (re-)enter the bridge loop. It puts the bridge and its shadows back
    /// on the path first: user code may have reset the path (restoredefaultpath), and the loop it left running
    /// did not need the path, but re-entering it after an interrupt does.
    /// </summary>
    public string BridgeCommand =>
        $"addpath('{Quote(BridgeFolder)}'); addpath('{Quote(Path.Combine(BridgeFolder, "shadow"))}'); " +
        $"mcp_bridge('{Quote(RequestPipe)}', '{Quote(ResponsePipe)}')\n";

    /// <summary>
    /// The line typed after an interrupt: the bridge command, in Octave with the server's prompt set again first (user
    /// code may have changed PS1, and the next interrupt must end at a prompt the server recognises).
    /// </summary>
    public string ResumeCommand(EngineKind kind) => (kind == EngineKind.Octave ? PromptSetting : "") + BridgeCommand;

    private string PromptSetting => $"PS1([char(30) 'mcp:prompt:{PromptToken}' char(10)]); ";

    /// <summary>The first line typed: quiet prompt, headless figures, shadows for interactive functions, then the bridge.</summary>
    public string StartupCommand(EngineKind kind)
    {
        var octaveOnly = kind == EngineKind.Octave
            // A prompt the server recognises (see PromptToken), no continuation prompt, no pager, and no octave-workspace
            // core files dropped into the user's folder.
            ? PromptSetting + "PS2(''); more off; " +
              "crash_dumps_octave_core(false); sighup_dumps_octave_core(false); sigterm_dumps_octave_core(false); "
            // gnuplot is the only toolkit without a display: its 620-character "discouraged" warning is noise to an agent.
            + "warning('off', 'Octave:gnuplot-graphics'); "
            : "";
        return octaveOnly
            + "warning('off', 'Octave:shadowed-function'); warning('off', 'MATLAB:dispatcher:nameConflict'); "
            // A warning's "called from" trace names the bridge's own frames and the file multi-line code runs from.
            + "warning('off', 'backtrace'); "
            // A visible figure has nowhere to show: gnuplot draws it as ASCII art into the output at drawnow/print.
            + "set(0, 'defaultfigurevisible', 'off'); "
            + $"cd('{Quote(EngineFolder)}'); "
            + $"addpath('{Quote(Path.Combine(BridgeFolder, "shadow"))}'); "
            + (ConfinedAtStart ? ConfineTo(EngineFolder) : "") // once: paths are confined to it
            + BridgeCommand;
    }

    /// <summary>What the server evaluates when a session takes an unsandboxed spare whose folder was renamed to <paramref name="folder"/>.</summary>
    public static string MoveInCommand(string folder) =>
        ConfineTo(folder) + $"cd('{Quote(folder)}'); setenv('HOME', '{Quote(folder)}');";

    private static string ConfineTo(string folder) => $"mcp_session_roots({{'{Quote(folder)}'}}); ";

    public static string ExecutableName(EngineOptions options) =>
        options.Executable.Length > 0 ? options.Executable : options.Kind == EngineKind.Matlab ? "matlab" : "octave-cli";

    /// <summary>How to start the engine, or null when its executable cannot be found.</summary>
    public ProcessStartInfo? StartInfo(EngineOptions options, EngineSandbox sandbox, string workRoot)
    {
        var name = ExecutableName(options);
        // Resolved here because the launcher chain would otherwise hide "not found" behind its own exit code.
        var executable = name.Contains('/') ? (File.Exists(name) ? Path.GetFullPath(name) : null) : Platform.FindOnPath(name);
        if (executable is null)
            return null;
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,   // the bridge command is typed here
            RedirectStandardOutput = true,  // never inherited: in stdio mode our stdout is the protocol
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingFolder,
        };
        var arguments = options.Kind == EngineKind.Matlab
            ? ["-nodesktop", "-nosplash", "-r", StartupCommand(EngineKind.Matlab).TrimEnd('\n')]
            : new[] { "--quiet", "--no-init-file", "--no-history", "--no-line-editing", "--no-gui", "--interactive" };
        // sh merges stderr into stdout (exec keeps the pid), so warnings interleave with output in order.
        // Its watchdog kills an engine that never reaches its pipes: a server killed while the engine starts
        // leaves it blocked opening a FIFO nobody will open, where no death signal reaches it reliably.
        // The bridge kills the watchdog once both pipes are open (MCP_BRIDGE_WATCHDOG). It fires a little after
        // the server's own start-up timeout, so a live server reports that timeout rather than a bare kill.
        var watchdog = $"(sleep {Math.Ceiling(options.StartupTimeoutSeconds) + 2:0} && kill -9 $$) & MCP_BRIDGE_WATCHDOG=$!; " +
            "export MCP_BRIDGE_WATCHDOG; exec \"$0\" \"$@\" 2>&1";
        var sandboxed = new SandboxLaunch(WorkingFolder, RequestPipe, ResponsePipe, BridgeFolder, Account, ArgumentsFile);
        sandbox.Wrap(info, sandboxed, workRoot, executable, ["/bin/sh", "-c", watchdog, executable, .. arguments]);
        EngineEnvironment.Apply(info, sandbox.PassEnv, EngineFolder);
        return info;
    }

    internal static string Quote(string text) => text.Replace("'", "''", StringComparison.Ordinal);
}
