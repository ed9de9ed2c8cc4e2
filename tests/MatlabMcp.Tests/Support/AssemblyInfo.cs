// Engines run over named pipes and POSIX signals: the suite targets Linux (and macOS) only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
