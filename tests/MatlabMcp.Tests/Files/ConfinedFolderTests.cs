using System.Text;
using MatlabMcp.Output.Files;
using MatlabMcp.Security;

namespace MatlabMcp.Tests.Files;

/// <summary>
/// Where an agent's path lands on disk: links that lead out, links swapped in, FIFOs and devices. Written first, as the
/// attacker would try them; the engine can plant any of these in its own session folder.
/// </summary>
public sealed class ConfinedFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("confined-").FullName;
    private readonly string _session;
    private readonly string _secret;
    private readonly ConfinedFolder _folder;

    public ConfinedFolderTests()
    {
        _session = Directory.CreateDirectory(Path.Combine(_root, "session")).FullName;
        _secret = Path.Combine(_root, "secret.txt");
        File.WriteAllText(_secret, "top secret");
        _folder = ConfinedFolder.Open(_session)!;
    }

    public void Dispose()
    {
        _folder.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private string Read(string path)
    {
        var problem = _folder.OpenRead(path, out var handle, out var kind, out _);
        if (problem is not null)
            return $"problem:{problem.Kind}:{problem.Message}";
        using var stream = new FileStream(handle!, FileAccess.Read);
        return kind == FileKind.Folder ? "folder" : new StreamReader(stream).ReadToEnd();
    }

    [Test]
    public async Task OpenRead_PlainAndNestedFiles_Read()
    {
        File.WriteAllText(Path.Combine(_session, "a.txt"), "A");
        Directory.CreateDirectory(Path.Combine(_session, "sub", "deeper"));
        File.WriteAllText(Path.Combine(_session, "sub", "deeper", "b.txt"), "B");

        await Assert.That(Read("a.txt")).IsEqualTo("A");
        await Assert.That(Read("sub/deeper/b.txt")).IsEqualTo("B");
        await Assert.That(Read("sub")).IsEqualTo("folder");
        await Assert.That(Read("missing.txt")).StartsWith("problem:NotFound");
    }

    [Test]
    [Arguments("../secret.txt")]
    [Arguments("/etc/passwd")]
    [Arguments("sub/../../secret.txt")]
    [Arguments("a\0b")]
    public async Task OpenRead_PathLeavingTheFolder_RefusedAsText(string path) =>
        await Assert.That(Read(path)).StartsWith("problem:Refused");

    [Test]
    public async Task OpenRead_LinkToFileOutside_RefusedWithoutNamingTarget()
    {
        File.CreateSymbolicLink(Path.Combine(_session, "link.txt"), _secret);

        var answer = Read("link.txt");
        await Assert.That(answer).StartsWith("problem:Refused");
        await Assert.That(answer).Contains("outside your session folder");
        await Assert.That(answer).DoesNotContain(_root);
        await Assert.That(answer).DoesNotContain("top secret");
    }

    [Test]
    public async Task OpenRead_RelativeLinkClimbingOut_Refused()
    {
        File.CreateSymbolicLink(Path.Combine(_session, "up.txt"), "../secret.txt");
        Directory.CreateSymbolicLink(Path.Combine(_session, "etc"), "/etc");

        await Assert.That(Read("up.txt")).Contains("outside your session folder");
        await Assert.That(Read("etc/passwd")).Contains("outside your session folder");
    }

    [Test]
    public async Task OpenRead_FolderLinkInTheMiddle_Refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_session, "out"), _root);

        await Assert.That(Read("out/secret.txt")).Contains("outside your session folder");
    }

    [Test]
    public async Task OpenRead_LinksInsideTheFolder_Followed()
    {
        Directory.CreateDirectory(Path.Combine(_session, "real"));
        File.WriteAllText(Path.Combine(_session, "real", "x.txt"), "X");
        File.CreateSymbolicLink(Path.Combine(_session, "alias.txt"), "real/x.txt");
        Directory.CreateSymbolicLink(Path.Combine(_session, "dir"), "real");
        File.CreateSymbolicLink(Path.Combine(_session, "absolute.txt"), Path.Combine(_session, "real", "x.txt"));

        await Assert.That(Read("alias.txt")).IsEqualTo("X");
        await Assert.That(Read("dir/x.txt")).IsEqualTo("X");
        await Assert.That(Read("absolute.txt")).IsEqualTo("X");
    }

    [Test]
    public async Task OpenRead_LinkLoop_Refused()
    {
        File.CreateSymbolicLink(Path.Combine(_session, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(_session, "b"), "a");

        await Assert.That(Read("a")).Contains("cannot be followed");
    }

    [Test]
    public async Task OpenRead_Fifo_RefusedWithoutBlocking()
    {
        var fifo = Path.Combine(_session, "pipe");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo]))
            await mk.WaitForExitAsync();

        // Opening a FIFO for reading would block until a writer came: O_NONBLOCK returns at once, then it is refused.
        var answer = await Task.Run(() => Read("pipe")).WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.That(answer).Contains("not a regular file");
    }

    [Test]
    public async Task Open_DeviceReachedByLink_Refused()
    {
        File.CreateSymbolicLink(Path.Combine(_session, "zero"), "/dev/zero");
        await Assert.That(Read("zero")).Contains("outside your session folder");
    }

    [Test]
    public async Task Write_NewFileInNewFolder_WrittenAtomically()
    {
        var problem = await _folder.WriteAsync("in/data.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n"), CancellationToken.None);

        await Assert.That(problem).IsNull();
        await Assert.That(File.ReadAllText(Path.Combine(_session, "in", "data.csv"))).IsEqualTo("a,b\n1,2\n");
        await Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(_session, "in"))).HasSingleItem(); // no temporary left
    }

    [Test]
    public async Task Write_ThroughLink_RefusedAndTargetUntouched()
    {
        File.CreateSymbolicLink(Path.Combine(_session, "evil.txt"), _secret);

        var problem = await _folder.WriteAsync("evil.txt", "owned"u8.ToArray(), CancellationToken.None);

        await Assert.That(problem!.Message).Contains("never write through links");
        await Assert.That(File.ReadAllText(_secret)).IsEqualTo("top secret");
    }

    [Test]
    public async Task Write_IntoFolderLinkLeadingOut_RefusedAndNothingWritten()
    {
        Directory.CreateSymbolicLink(Path.Combine(_session, "out"), _root);

        var problem = await _folder.WriteAsync("out/new.txt", "x"u8.ToArray(), CancellationToken.None);

        await Assert.That(problem!.Message).Contains("outside your session folder");
        await Assert.That(File.Exists(Path.Combine(_root, "new.txt"))).IsFalse();
    }

    [Test]
    public async Task Write_FolderSwappedForLinkAfterOpen_StaysInside()
    {
        // The race the descriptor walk exists for: the engine replaces a folder by a link while the server works.
        Directory.CreateDirectory(Path.Combine(_session, "swap"));
        using var folder = ConfinedFolder.Open(_session)!;
        Directory.Delete(Path.Combine(_session, "swap"));
        Directory.CreateSymbolicLink(Path.Combine(_session, "swap"), _root);

        var problem = await folder.WriteAsync("swap/secret.txt", "owned"u8.ToArray(), CancellationToken.None);

        await Assert.That(problem).IsNotNull();
        await Assert.That(File.ReadAllText(_secret)).IsEqualTo("top secret");
    }

    [Test]
    public async Task Delete_LinkLeadingOut_RemovesOnlyTheLink()
    {
        File.CreateSymbolicLink(Path.Combine(_session, "link.txt"), _secret);

        await Assert.That(_folder.Delete("link.txt", out var kind)).IsNull();
        await Assert.That(kind).IsEqualTo(FileKind.Link);
        await Assert.That(File.Exists(_secret)).IsTrue();
        await Assert.That(Path.Exists(Path.Combine(_session, "link.txt"))).IsFalse();
    }

    [Test]
    public async Task Delete_ThroughFolderLinkLeadingOut_Refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_session, "out"), _root);

        await Assert.That(_folder.Delete("out/secret.txt", out _)!.Message).Contains("outside your session folder");
        await Assert.That(File.Exists(_secret)).IsTrue();
    }

    [Test]
    public async Task Delete_FolderNotEmpty_RefusedEmptyRemoved()
    {
        Directory.CreateDirectory(Path.Combine(_session, "full"));
        File.WriteAllText(Path.Combine(_session, "full", "x"), "x");
        Directory.CreateDirectory(Path.Combine(_session, "empty"));

        await Assert.That(_folder.Delete("full", out _)!.Message).Contains("not empty");
        await Assert.That(_folder.Delete("empty", out var kind)).IsNull();
        await Assert.That(kind).IsEqualTo(FileKind.Folder);
    }

    [Test]
    public async Task List_ShowsLinksAsLinksAndCountsTheRest()
    {
        for (var i = 0; i < 5; i++)
            File.WriteAllText(Path.Combine(_session, $"f{i}.txt"), new string('x', i));
        File.CreateSymbolicLink(Path.Combine(_session, "link"), _secret);

        await Assert.That(_folder.List("", 3, out var listing)).IsNull();
        await Assert.That(listing!.Files.Select(f => f.Name)).IsEquivalentTo(["f0.txt", "f1.txt", "f2.txt"]);
        await Assert.That(listing.More).IsEqualTo(3);
        await Assert.That(_folder.List("", 10, out var all)).IsNull();
        var link = all!.Files.Single(f => f.Name == "link");
        await Assert.That(link.Type).IsEqualTo("link");
        await Assert.That(link.Size).IsEqualTo(0); // the secret's size is not shown either
    }

    [Test]
    public async Task List_FolderLinkLeadingOut_Refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_session, "out"), _root);
        await Assert.That(_folder.List("out", 10, out _)!.Message).Contains("outside your session folder");
    }
}
