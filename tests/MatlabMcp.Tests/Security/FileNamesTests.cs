using MatlabMcp.Security;

namespace MatlabMcp.Tests.Security;

/// <summary>The text rules for paths an agent gives a file tool (where they land on disk: ConfinedFolderTests).</summary>
public sealed class FileNamesTests
{
    [Test]
    [Arguments("data.csv")]
    [Arguments("a")]
    [Arguments("Result_2024-01-02.mat")]
    [Arguments("x.y.z")]
    [Arguments("-dash-first")]
    [Arguments("trailing.")]
    [Arguments("my data.csv")]
    [Arguments("+pkg")]
    [Arguments("@myclass")]
    public async Task Validate_PlainName_Accepted(string name) => await Assert.That(FileNames.Validate(name)).IsNull();

    [Test]
    [Arguments("", "No file name")]
    [Arguments("..", "starts with '.'")]
    [Arguments(".", "starts with '.'")]
    [Arguments(".hidden", "starts with '.'")]
    [Arguments("a..b", "'..'")]
    [Arguments("dir\\file.m", "'\\'")]
    [Arguments("C:file", "':'")]
    [Arguments(" lead.m", "starts or ends with a space")]
    [Arguments("trail.m ", "starts or ends with a space")]
    [Arguments("tab\t.m", "U+0009")]
    [Arguments("nul\0.m", "U+0000")]
    [Arguments("esc\u001b[31m.m", "U+001B")]
    [Arguments("del\u007f.m", "U+007F")]
    [Arguments("naïve.m", "'ï'")]
    [Arguments("star*.m", "'*'")]
    [Arguments("~home", "'~'")]
    [Arguments("CON", "device name")]
    [Arguments("nul.txt", "device name")]
    [Arguments("com1.csv", "device name")]
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
    [Arguments("data.csv")]
    [Arguments("results/run1.mat")]
    [Arguments("figures/fig-1-1.png")]
    [Arguments("a/b/c/d.txt")]
    public async Task ValidatePath_RelativePath_Accepted(string path) => await Assert.That(FileNames.ValidatePath(path)).IsNull();

    [Test]
    [Arguments("", "No path")]
    [Arguments("/etc/passwd", "absolute path")]
    [Arguments("\\\\server\\share", "absolute path")]
    [Arguments("C:\\Windows", "absolute path")]
    [Arguments("../etc/passwd", "starts with '.'")]
    [Arguments("a/../../etc/passwd", "starts with '.'")]
    [Arguments("a/./b", "starts with '.'")]
    [Arguments("a//b", "empty part")]
    [Arguments("a/", "empty part")]
    [Arguments("a\\b", "'\\'")]
    [Arguments("a/b\nc", "U+000A")]
    [Arguments("aux/x.txt", "device name")]
    public async Task ValidatePath_BadPath_RejectedWithWhatIsAllowed(string path, string reason)
    {
        var error = FileNames.ValidatePath(path);
        await Assert.That(error).IsNotNull();
        await Assert.That(error).Contains(reason);
        if (path.Length > 0 && !reason.Contains("empty") && !reason.Contains("device"))
            await Assert.That(error).Contains("relative to your session folder").Or.Contains("letter or digit");
    }

    [Test]
    public async Task ValidatePath_TooLongOrTooDeep_Refused()
    {
        await Assert.That(FileNames.ValidatePath(string.Join('/', Enumerable.Repeat("abcdefgh", 60)))).Contains("limit is 512");
        await Assert.That(FileNames.ValidatePath(string.Join('/', Enumerable.Repeat("a", FileNames.MaxDepth)))).IsNull();
        await Assert.That(FileNames.ValidatePath(string.Join('/', Enumerable.Repeat("a", FileNames.MaxDepth + 1)))).Contains("levels deep");
    }

    [Test]
    public async Task Validate_ControlCharacters_EscapedInMessage()
    {
        var error = FileNames.ValidatePath("a\u001b]0;pwned\u0007.txt")!;
        await Assert.That(error).DoesNotContain("\u001b");
        await Assert.That(error).Contains("\\u001b");
    }
}
