namespace MatlabMcp.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The server built by the project reference, run as an MCP client would run it.</summary>
    public static string ServerDll => Path.Combine(Root, "bin", Configuration, "net10.0", "matlab-mcp.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MatlabMcp.csproj")))
                return dir.FullName;
        throw new InvalidOperationException("MatlabMcp.csproj not found above the test output folder.");
    }
}
