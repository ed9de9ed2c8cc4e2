// Engines run over named pipes (FIFOs) and POSIX signals; Windows named pipes are future work.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("macos")]
