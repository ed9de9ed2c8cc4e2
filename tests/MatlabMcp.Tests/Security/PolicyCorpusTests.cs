using MatlabMcp.Configuration;
using MatlabMcp.Security;

namespace MatlabMcp.Tests.Security;

/// <summary>The corpus files: every bypass attempt is refused for the right reason, every harmless snippet passes.</summary>
public sealed class PolicyCorpusTests
{
    public static IEnumerable<string> BypassNames => Corpus.Names(Corpus.Bypass);
    public static IEnumerable<string> HarmlessNames => Corpus.Names(Corpus.Harmless);

    private static CodePolicyResult Check(CorpusCase c) => new CodePolicy(new CodePolicyOptions(), c.Dialect).Check(c.Code);

    [Test]
    public async Task Corpus_HasEnoughCases()
    {
        await Assert.That(Corpus.Bypass.Count >= 40).IsTrue().Because($"{Corpus.Bypass.Count} bypass cases");
        await Assert.That(Corpus.Harmless.Count >= 20).IsTrue().Because($"{Corpus.Harmless.Count} harmless cases");
        foreach (var c in Corpus.Bypass)
            await Assert.That(string.IsNullOrEmpty(c.Subject)).IsFalse().Because($"{c.Name} names no subject");
    }

    [Test]
    [MethodDataSource(nameof(BypassNames))]
    public async Task Bypass_IsRejected_NamingTheSubject(string name)
    {
        var c = Corpus.Find(Corpus.Bypass, name);

        var result = Check(c);

        await Assert.That(result.IsAllowed).IsFalse().Because($"not rejected:\n{c.Code}");
        await Assert.That(result.Violations).Contains(v => v.Subject == c.Subject);
        await Assert.That(result.Violations).All(v => v.Line >= 1 && v.Column >= 1);
    }

    [Test]
    [MethodDataSource(nameof(HarmlessNames))]
    public async Task Harmless_Passes(string name)
    {
        var c = Corpus.Find(Corpus.Harmless, name);

        var result = Check(c);

        await Assert.That(result.IsAllowed).IsTrue().Because(result.Describe());
    }
}
