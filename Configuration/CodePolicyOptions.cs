using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>What code the server refuses to run, checked on the tokens of the code before any engine sees it.</summary>
internal sealed partial class CodePolicyOptions : IConfigSection<CodePolicyOptions>
{
    /// <summary>
    /// The default blocked list. Entries: a function name (<c>system</c>), a dotted name (<c>NET.addAssembly</c>), a
    /// package with everything in it (<c>py.*</c>), a function with a literal first argument (<c>pkg install</c>), or
    /// <c>!</c> for the shell escape.
    /// </summary>
    public static IReadOnlyList<string> DefaultBlockedFunctions { get; } =
    [
        // shells and other programs
        "system", "unix", "dos", "!", "popen", "popen2", "fork", "exec", "kill", "perl", "python", "winopen",
        // code built from text, and indirection that hides which function runs
        "eval", "evalc", "evalin", "assignin", "str2func", "builtin", "run", "source",
        // foreign runtimes: Python, Java, .NET, COM, C/C++
        "pyrun", "pyrunfile", "pyenv", "py.*", "java", "javaObject", "javaMethod", "javaArray", "java_get", "java_set",
        "javaaddpath", "java.*", "javax.*", "com.*", "org.*", "NET.*", "System.*", "clib.*",
        "actxserver", "actxcontrol", "actxGetRunningServer", "loadlibrary", "calllib", "mex", "mkoctfile",
        // network
        "web", "webread", "webwrite", "websave", "urlread", "urlwrite", "ftp", "sftp", "sendmail",
        "tcpclient", "tcpserver", "tcpip", "udp", "udpport", "matlab.net.*",
        // programs Octave runs later on the code's say (EDITOR('sh ...'); edit x runs it), native code loaders
        "EDITOR", "PAGER", "PAGER_FLAGS", "gnuplot_binary", "makeinfo_program", "info_program", "EXEC_PATH", "edit",
        "autoload",
        // the process environment and package installation
        "setenv", "putenv", "unsetenv", "pkg install", "pkg update", "pkg uninstall", "pkg build",
        // the engine's own locked state (its bridge pipes, the folders paths are confined to) must survive clear all
        "munlock",
    ];

    /// <summary>
    /// None: cd, chdir, delete, unlink, rmdir, mkdir, movefile, rename and copyfile are confined by the engine at run
    /// time (matlab/shadow/), which judges the real target rather than the text.
    /// </summary>
    public static IReadOnlyList<string> DefaultConfinedFunctions { get; } = [];

    /// <summary>Check code before running it. Switch off only when every caller is trusted.</summary>
    [ConfigurationKeyName("enabled")] public bool Enabled { get; set; } = true;

    /// <summary>
    /// Functions code may not use in any form: call, command syntax, handle, or a name in a string. Null (not configured):
    /// <see cref="DefaultBlockedFunctions"/>; null rather than the default list because the binder appends a configured
    /// list to the one already there.
    /// </summary>
    [ConfigurationKeyName("blocked_functions")] public string[]? BlockedFunctions { get; set; }

    /// <summary>The blocked list in force: the configured one, or the default.</summary>
    public IReadOnlyList<string> EffectiveBlockedFunctions => BlockedFunctions ?? DefaultBlockedFunctions;

    /// <summary>Entries taken off the blocked list; also lets a listed function (e.g. feval) take run-time names.</summary>
    [ConfigurationKeyName("allowed_functions")] public string[] AllowedFunctions { get; set; } = [];

    /// <summary>
    /// More functions whose paths must stay inside the session folder, checked before the code runs: a literal path
    /// argument that is absolute or contains '..' is refused (e.g. [save, print]). The engine confines cd, chdir, delete,
    /// unlink, rmdir, mkdir, movefile, rename and copyfile at run time whatever this list says (with the policy off
    /// too), so listing them adds nothing; paths computed at run time are left to the sandbox.
    /// </summary>
    [ConfigurationKeyName("confined_functions")] public string[] ConfinedFunctions { get; set; } = [.. DefaultConfinedFunctions];

    public IEnumerable<string> Validate()
    {
        foreach (var entry in EffectiveBlockedFunctions.Concat(AllowedFunctions))
            if (entry != "!" && !EntryPattern().IsMatch(entry))
                yield return $"code_policy: '{entry}' is not a function name, a dotted name, 'package.*', 'name argument' or '!'.";
        foreach (var entry in ConfinedFunctions)
            if (!NamePattern().IsMatch(entry))
                yield return $"code_policy.confined_functions: '{entry}' is not a function name.";
    }

    [GeneratedRegex(@"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(\.\*)?$|^[A-Za-z_$][\w$]* [\w-]+$")]
    private static partial Regex EntryPattern();

    [GeneratedRegex(@"^[A-Za-z_$][\w$]*$")]
    private static partial Regex NamePattern();
}
