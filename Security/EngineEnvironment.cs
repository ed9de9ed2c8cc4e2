using System.Diagnostics;

namespace MatlabMcp.Security;

/// <summary>
/// An engine's environment, built from an allow-list rather than by removing known secrets: whatever the server was
/// started with (cloud keys, API tokens, the auth token) is readable by any user code through getenv.
/// </summary>
internal static class EngineEnvironment
{
    /// <summary>Passed by name: the search path, locale and time zone, and MATLAB's license server.</summary>
    private static readonly string[] Names = ["PATH", "LANG", "LANGUAGE", "TZ", "MLM_LICENSE_FILE", "LM_LICENSE_FILE"];

    /// <summary>Passed by prefix: locale categories and BLAS/OpenMP thread settings, which decide how fast numerics run.</summary>
    private static readonly string[] Prefixes = ["LC_", "OMP_", "OPENBLAS_", "GOTO_", "MKL_", "BLIS_", "FLEXIBLAS", "VECLIB_"];

    /// <summary>Replaces the start info's environment with the allow-listed part of the server's, plus HOME and TERM.</summary>
    public static void Apply(ProcessStartInfo info, IEnumerable<string> passEnv, string home)
    {
        var passed = passEnv.ToHashSet(StringComparer.Ordinal);
        foreach (var name in info.Environment.Keys.ToList())
            if (!Names.Contains(name) && !passed.Contains(name) && !Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
                info.Environment.Remove(name);
        info.Environment["HOME"] = home; // as the engine sees its session folder: ~ and tools that write to HOME stay in it
        info.Environment["TERM"] = "dumb";
        // Without a UTF-8 locale Octave's text is bytes to gnuplot: every figure export warns "iconv failed to convert
        // degree sign" into the output. A client that starts us with a bare environment (the MCP SDKs do) has none.
        if (!info.Environment.Keys.Any(name => name is "LANG" or "LC_ALL" or "LC_CTYPE"))
            info.Environment["LANG"] = "C.UTF-8";
    }
}
