namespace MatlabMcp.Tests.Support;

/// <summary>Folders for stand-in executables: readable by the sandbox's engine user, like a real install.</summary>
internal static class Executables
{
    public static string Folder(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        return folder;
    }
}
