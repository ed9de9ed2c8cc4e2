namespace MatlabMcp.Configuration;

/// <summary>How engine processes are started and stopped.</summary>
[ConfigKey("engine")]
internal sealed class EngineOptions
{
    /// <summary>Engine flavour: "octave" or "matlab".</summary>
    [ConfigKey("kind")] public string Kind { get; set; } = "octave";

    /// <summary>Executable to start; empty picks octave-cli or matlab from PATH.</summary>
    [ConfigKey("executable")] public string Executable { get; set; } = "";

    /// <summary>Seconds an engine may take from launch to its first ready frame.</summary>
    [ConfigKey("startup_timeout")] public double StartupTimeoutSeconds { get; set; } = 60;

    /// <summary>Seconds to wait after an interrupt before the engine is killed and replaced.</summary>
    [ConfigKey("interrupt_grace")] public double InterruptGraceSeconds { get; set; } = 5;

    /// <summary>Folder holding session folders and bridge pipes; empty means the system temp folder.</summary>
    [ConfigKey("work_root")] public string WorkRoot { get; set; } = "";

    public IEnumerable<string> Validate()
    {
        if (Kind is not ("octave" or "matlab"))
            yield return $"engine.kind must be \"octave\" or \"matlab\", not \"{Kind}\".";
        if (StartupTimeoutSeconds <= 0)
            yield return "engine.startup_timeout must be a positive number of seconds.";
        if (InterruptGraceSeconds <= 0)
            yield return "engine.interrupt_grace must be a positive number of seconds.";
    }

    public TimeSpan StartupTimeout => TimeSpan.FromSeconds(StartupTimeoutSeconds);
    public TimeSpan InterruptGrace => TimeSpan.FromSeconds(InterruptGraceSeconds);
}
