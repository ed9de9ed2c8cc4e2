using MatlabMcp.Security;

namespace MatlabMcp.Tests.Security;

public sealed class FileNamesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("filenames-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Test]
    [Arguments("data.csv")]
    [Arguments("a")]
    [Arguments("Result_2024-01-02.mat")]
    [Arguments("x.y.z")]
    [Arguments("-dash-first")]
    [Arguments("trailing.")]
    public async Task Validate_PlainName_Accepted(string name) => await Assert.That(FileNames.Validate(name)).IsNull();

    [Test]
    [Arguments("", "No file name")]
    [Arguments("..", "starts with '.'")]
    [Arguments(".hidden", "starts with '.'")]
    [Arguments("a..b", "'..'")]
    [Arguments("../etc/passwd", "'/'")]
    [Arguments("/etc/passwd", "'/'")]
    [Arguments("dir/file.m", "'/'")]
    [Arguments("dir\\file.m", "'\\'")]
    [Arguments("C:file", "':'")]
    [Arguments("with space.m", "U+0020")]
    [Arguments("tab\t.m", "U+0009")]
    [Arguments("nul\0.m", "U+0000")]
    [Arguments("naïve.m", "'ï'")]
    [Arguments("star*.m", "'*'")]
    [Arguments("~home", "'~'")]
    public async Task Validate_BadName_RejectedWithReason(string name, string reason)
    {
        var error = FileNames.Validate(name);
        await Assert.That(error).IsNotNull();
        await Assert.That(error).Contains(reason);
    }

    [Test]
    public async Task Validate_LengthLimit_Enforced()
    {
        await Assert.That(FileNames.Validate(new string('a', FileNames.MaxLength))).IsNull();
        await Assert.That(FileNames.Validate(new string('a', FileNames.MaxLength + 1))).Contains("limit");
    }

    [Test]
    public async Task TryResolve_NewFile_MapsIntoFolder()
    {
        await Assert.That(FileNames.TryResolve(_root, "out.csv", out var path, out _)).IsTrue();
        await Assert.That(path).IsEqualTo(Path.Combine(_root, "out.csv"));
    }

    [Test]
    public async Task TryResolve_BadName_Refused()
    {
        await Assert.That(FileNames.TryResolve(_root, "../x", out var path, out var error)).IsFalse();
        await Assert.That(path).IsNull();
        await Assert.That(error).IsNotNull();
    }

    [Test]
    public async Task TryResolve_SymlinkEscapingFolder_Refused()
    {
        var session = Directory.CreateDirectory(Path.Combine(_root, "session")).FullName;
        var secret = Path.Combine(_root, "secret.txt");
        File.WriteAllText(secret, "x");
        File.CreateSymbolicLink(Path.Combine(session, "link.txt"), secret);
        Directory.CreateSymbolicLink(Path.Combine(session, "dirlink"), "/etc");

        await Assert.That(FileNames.TryResolve(session, "link.txt", out _, out var error)).IsFalse();
        await Assert.That(error).Contains("outside your session folder");
        await Assert.That(error).DoesNotContain(secret);
        await Assert.That(FileNames.TryResolve(session, "dirlink", out _, out _)).IsFalse();
    }

    [Test]
    public async Task TryResolve_SymlinkInsideFolder_Accepted()
    {
        var session = Directory.CreateDirectory(Path.Combine(_root, "session")).FullName;
        File.WriteAllText(Path.Combine(session, "real.txt"), "x");
        File.CreateSymbolicLink(Path.Combine(session, "alias.txt"), Path.Combine(session, "real.txt"));

        await Assert.That(FileNames.TryResolve(session, "alias.txt", out _, out _)).IsTrue();
    }

    [Test]
    public async Task TryResolve_SessionFolderReachedThroughSymlink_StillWorks()
    {
        var real = Directory.CreateDirectory(Path.Combine(_root, "real")).FullName;
        var linked = Path.Combine(_root, "linked");
        Directory.CreateSymbolicLink(linked, real);
        File.WriteAllText(Path.Combine(real, "a.txt"), "x");

        await Assert.That(FileNames.TryResolve(linked, "a.txt", out var path, out _)).IsTrue();
        await Assert.That(path).StartsWith(real);
    }

    [Test]
    public async Task TryResolve_LinkLoop_Refused()
    {
        var session = Directory.CreateDirectory(Path.Combine(_root, "session")).FullName;
        File.CreateSymbolicLink(Path.Combine(session, "a"), Path.Combine(session, "b"));
        File.CreateSymbolicLink(Path.Combine(session, "b"), Path.Combine(session, "a"));

        await Assert.That(FileNames.TryResolve(session, "a", out _, out _)).IsFalse();
    }
}
