using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>How engine processes are started and stopped.</summary>
internal sealed class EngineOptions : IConfigSection<EngineOptions>
{
    /// <summary>Engine flavour: "octave" or "matlab" in config.yaml.</summary>
    [ConfigurationKeyName("kind")] public EngineKind Kind { get; set; } = EngineKind.Octave;

    /// <summary>Executable to start; empty picks octave-cli or matlab from PATH.</summary>
    [ConfigurationKeyName("executable")] public string Executable { get; set; } = "";

    /// <summary>Seconds an engine may take from launch to its first ready frame.</summary>
    [ConfigurationKeyName("startup_timeout")] public double StartupTimeoutSeconds { get; set; } = 60;

    /// <summary>Seconds to wait after an interrupt before the engine is killed and replaced.</summary>
    [ConfigurationKeyName("interrupt_grace")] public double InterruptGraceSeconds { get; set; } = 5;

    /// <summary>Folder holding session folders and bridge pipes; empty means the system temp folder.</summary>
    [ConfigurationKeyName("work_root")] public string WorkRoot { get; set; } = "";

    public IEnumerable<string> Validate()
    {
        if (!Enum.IsDefined(Kind))
            yield return $"engine.kind must be {EngineKinds.Expected}, not \"{Kind}\".";
        if (StartupTimeoutSeconds <= 0)
            yield return "engine.startup_timeout must be a positive number of seconds.";
        if (InterruptGraceSeconds <= 0)
            yield return "engine.interrupt_grace must be a positive number of seconds.";
    }

    public TimeSpan StartupTimeout => TimeSpan.FromSeconds(StartupTimeoutSeconds);
    public TimeSpan InterruptGrace => TimeSpan.FromSeconds(InterruptGraceSeconds);
}

/// <summary>The engine flavours, spelled in config.yaml as "octave" and "matlab".</summary>
internal enum EngineKind
{
    Octave,
    Matlab,
}

/// <summary>How config.yaml spells <see cref="EngineKind"/>: exactly "octave" or "matlab", as it always has.</summary>
internal static class EngineKinds
{
    public const string Expected = "\"octave\" or \"matlab\"";

    /// <summary>The flavour as config.yaml spells it (and as messages name it).</summary>
    public static string Name(this EngineKind kind) => kind == EngineKind.Matlab ? "matlab" : "octave";

    public static bool TryParse(string text, out EngineKind kind)
    {
        kind = text == "matlab" ? EngineKind.Matlab : EngineKind.Octave;
        return text is "octave" or "matlab";
    }
}
