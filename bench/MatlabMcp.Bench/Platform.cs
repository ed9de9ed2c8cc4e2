// The server runs on Linux and macOS only (named pipes and POSIX signals), and so does its benchmark.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("macos")]
