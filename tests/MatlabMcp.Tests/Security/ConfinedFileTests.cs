using MatlabMcp.Security;

namespace MatlabMcp.Tests.Security;

/// <summary>
/// The server reads files engines wrote (figures) through <see cref="ConfinedFile"/>: whatever an engine plants under the
/// expected name — a link out, a FIFO, a linked folder — is refused, and nothing hangs.
/// </summary>
public sealed class ConfinedFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mcp-confined-").FullName;
    private readonly string _folder;
    private readonly string _secret;

    public ConfinedFileTests()
    {
        _folder = Directory.CreateDirectory(Path.Combine(_root, "session")).FullName;
        _secret = Path.Combine(_root, "secret.txt");
        File.WriteAllText(_secret, "not yours");
        Directory.CreateDirectory(Path.Combine(_folder, "figures"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task ARegularFileInside_IsRead()
    {
        File.WriteAllText(Path.Combine(_folder, "figures", "a.png"), "png bytes");

        var bytes = ConfinedFile.ReadAll(_folder, "figures/a.png", 1024, out var problem);

        await Assert.That(problem).IsNull();
        await Assert.That(System.Text.Encoding.UTF8.GetString(bytes!)).IsEqualTo("png bytes");
    }

    [Test]
    public async Task ALinkToAFileOutside_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(_folder, "figures", "a.png"), _secret);

        await Assert.That(ConfinedFile.ReadAll(_folder, "figures/a.png", 1024, out var problem)).IsNull();
        await Assert.That(problem).IsEqualTo("it is a link or cannot be opened");
    }

    [Test]
    public async Task ALinkedFolderLeadingOut_IsRefused()
    {
        Directory.Delete(Path.Combine(_folder, "figures"));
        Directory.CreateSymbolicLink(Path.Combine(_folder, "figures"), _root);

        await Assert.That(ConfinedFile.ReadAll(_folder, "figures/secret.txt", 1024, out var problem)).IsNull();
        await Assert.That(problem).IsEqualTo("it lies outside the session folder");
    }

    [Test]
    public async Task DotDot_LeadingOut_IsRefused()
    {
        await Assert.That(ConfinedFile.ReadAll(_folder, "../secret.txt", 1024, out var problem)).IsNull();
        await Assert.That(problem).IsEqualTo("it lies outside the session folder");
    }

    [Test]
    public async Task AFifo_IsRefused_WithoutHanging()
    {
        var fifo = Path.Combine(_folder, "figures", "a.png");
        await Assert.That(MkFifo(fifo)).IsEqualTo(0);

        var read = Task.Run(() => (ConfinedFile.ReadAll(_folder, "figures/a.png", 1024, out var problem), problem));
        var (bytes, why) = await read.WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.That(bytes).IsNull();
        await Assert.That(why).IsEqualTo("it is not a regular file");
    }

    [Test]
    public async Task AMissingFile_AndAnOversizedOne_SayWhy()
    {
        await Assert.That(ConfinedFile.ReadAll(_folder, "figures/none.png", 1024, out var missing)).IsNull();
        await Assert.That(missing).IsEqualTo("it does not exist");

        File.WriteAllBytes(Path.Combine(_folder, "figures", "big.png"), new byte[2048]);
        await Assert.That(ConfinedFile.ReadAll(_folder, "figures/big.png", 1024, out var big)).IsNull();
        await Assert.That(big).IsEqualTo("it is 2,048 bytes, more than the 1,024 allowed");
    }

    [Test]
    public async Task Write_MakesTheFileAndItsFolders_Inside()
    {
        await Assert.That(ConfinedFile.Write(_folder, "output/deep/job-1.txt", "full text"u8, out var problem)).IsTrue();

        await Assert.That(problem).IsNull();
        await Assert.That(File.ReadAllText(Path.Combine(_folder, "output", "deep", "job-1.txt"))).IsEqualTo("full text");
        await Assert.That(Directory.EnumerateFiles(Path.Combine(_folder, "output", "deep")).Count()).IsEqualTo(1).Because("no temporary file left");
    }

    [Test]
    public async Task Write_ReplacesALinkPlantedUnderTheName_NeverWritesThroughIt()
    {
        var planted = Path.Combine(_folder, "figures", "a.json");
        File.CreateSymbolicLink(planted, _secret);

        await Assert.That(ConfinedFile.Write(_folder, "figures/a.json", "{}"u8, out _)).IsTrue();

        await Assert.That(File.ReadAllText(_secret)).IsEqualTo("not yours");
        await Assert.That(new FileInfo(planted).LinkTarget).IsNull();
        await Assert.That(File.ReadAllText(planted)).IsEqualTo("{}");
    }

    [Test]
    public async Task Write_ThroughALinkedFolder_OrDotDot_IsRefused_AndNothingOutsideChanges()
    {
        Directory.Delete(Path.Combine(_folder, "figures"));
        Directory.CreateSymbolicLink(Path.Combine(_folder, "figures"), _root);

        await Assert.That(ConfinedFile.Write(_folder, "figures/secret.txt", "x"u8, out var linked)).IsFalse();
        await Assert.That(linked).IsEqualTo("a folder on its way is a link or lies outside the session folder");
        await Assert.That(ConfinedFile.Write(_folder, "../secret.txt", "x"u8, out var dotDot)).IsFalse();
        await Assert.That(dotDot).IsEqualTo("the name is not a plain path inside the session folder");
        await Assert.That(File.ReadAllText(_secret)).IsEqualTo("not yours");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo")]
    private static extern int MkFifo(string path, int mode = 0b110_000_000);
}
