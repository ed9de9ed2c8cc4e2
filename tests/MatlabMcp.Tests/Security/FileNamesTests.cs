using MatlabMcp.Security;

namespace MatlabMcp.Tests.Security;

public sealed class FileNamesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("filenames-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("data.csv")]
    [InlineData("a")]
    [InlineData("Result_2024-01-02.mat")]
    [InlineData("x.y.z")]
    [InlineData("-dash-first")]
    [InlineData("trailing.")]
    public void Validate_PlainName_Accepted(string name) => Assert.Null(FileNames.Validate(name));

    [Theory]
    [InlineData("", "No file name")]
    [InlineData("..", "starts with '.'")]
    [InlineData(".hidden", "starts with '.'")]
    [InlineData("a..b", "'..'")]
    [InlineData("../etc/passwd", "'/'")]
    [InlineData("/etc/passwd", "'/'")]
    [InlineData("dir/file.m", "'/'")]
    [InlineData("dir\\file.m", "'\\'")]
    [InlineData("C:file", "':'")]
    [InlineData("with space.m", "U+0020")]
    [InlineData("tab\t.m", "U+0009")]
    [InlineData("nul\0.m", "U+0000")]
    [InlineData("naïve.m", "'ï'")]
    [InlineData("star*.m", "'*'")]
    [InlineData("~home", "'~'")]
    public void Validate_BadName_RejectedWithReason(string name, string reason)
    {
        var error = FileNames.Validate(name);
        Assert.NotNull(error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Validate_LengthLimit_Enforced()
    {
        Assert.Null(FileNames.Validate(new string('a', FileNames.MaxLength)));
        Assert.Contains("limit", FileNames.Validate(new string('a', FileNames.MaxLength + 1)));
    }

    [Fact]
    public void TryResolve_NewFile_MapsIntoFolder()
    {
        Assert.True(FileNames.TryResolve(_root, "out.csv", out var path, out _));
        Assert.Equal(Path.Combine(_root, "out.csv"), path);
    }

    [Fact]
    public void TryResolve_BadName_Refused()
    {
        Assert.False(FileNames.TryResolve(_root, "../x", out var path, out var error));
        Assert.Null(path);
        Assert.NotNull(error);
    }

    [Fact]
    public void TryResolve_SymlinkEscapingFolder_Refused()
    {
        var session = Directory.CreateDirectory(Path.Combine(_root, "session")).FullName;
        var secret = Path.Combine(_root, "secret.txt");
        File.WriteAllText(secret, "x");
        File.CreateSymbolicLink(Path.Combine(session, "link.txt"), secret);
        Directory.CreateSymbolicLink(Path.Combine(session, "dirlink"), "/etc");

        Assert.False(FileNames.TryResolve(session, "link.txt", out _, out var error));
        Assert.Contains("outside your session folder", error);
        Assert.DoesNotContain(secret, error);
        Assert.False(FileNames.TryResolve(session, "dirlink", out _, out _));
    }

    [Fact]
    public void TryResolve_SymlinkInsideFolder_Accepted()
    {
        var session = Directory.CreateDirectory(Path.Combine(_root, "session")).FullName;
        File.WriteAllText(Path.Combine(session, "real.txt"), "x");
        File.CreateSymbolicLink(Path.Combine(session, "alias.txt"), Path.Combine(session, "real.txt"));

        Assert.True(FileNames.TryResolve(session, "alias.txt", out _, out _));
    }

    [Fact]
    public void TryResolve_SessionFolderReachedThroughSymlink_StillWorks()
    {
        var real = Directory.CreateDirectory(Path.Combine(_root, "real")).FullName;
        var linked = Path.Combine(_root, "linked");
        Directory.CreateSymbolicLink(linked, real);
        File.WriteAllText(Path.Combine(real, "a.txt"), "x");

        Assert.True(FileNames.TryResolve(linked, "a.txt", out var path, out _));
        Assert.StartsWith(real, path);
    }

    [Fact]
    public void TryResolve_LinkLoop_Refused()
    {
        var session = Directory.CreateDirectory(Path.Combine(_root, "session")).FullName;
        File.CreateSymbolicLink(Path.Combine(session, "a"), Path.Combine(session, "b"));
        File.CreateSymbolicLink(Path.Combine(session, "b"), Path.Combine(session, "a"));

        Assert.False(FileNames.TryResolve(session, "a", out _, out _));
    }
}
