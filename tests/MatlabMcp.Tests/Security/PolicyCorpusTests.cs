using MatlabMcp.Configuration;
using MatlabMcp.Security;

namespace MatlabMcp.Tests.Security;

/// <summary>The corpus files: every bypass attempt is refused for the right reason, every harmless snippet passes.</summary>
public sealed class PolicyCorpusTests
{
    public static TheoryData<string> BypassNames => Corpus.Names(Corpus.Bypass);
    public static TheoryData<string> HarmlessNames => Corpus.Names(Corpus.Harmless);

    private static CodePolicyResult Check(CorpusCase c) => new CodePolicy(new CodePolicyOptions(), c.Dialect).Check(c.Code);

    [Fact]
    public void Corpus_HasEnoughCases()
    {
        Assert.True(Corpus.Bypass.Count >= 40, $"{Corpus.Bypass.Count} bypass cases");
        Assert.True(Corpus.Harmless.Count >= 20, $"{Corpus.Harmless.Count} harmless cases");
        Assert.All(Corpus.Bypass, c => Assert.False(string.IsNullOrEmpty(c.Subject), $"{c.Name} names no subject"));
    }

    [Theory]
    [MemberData(nameof(BypassNames))]
    public void Bypass_IsRejected_NamingTheSubject(string name)
    {
        var c = Corpus.Find(Corpus.Bypass, name);

        var result = Check(c);

        Assert.False(result.IsAllowed, $"not rejected:\n{c.Code}");
        Assert.Contains(result.Violations, v => v.Subject == c.Subject);
        Assert.All(result.Violations, v => Assert.True(v.Line >= 1 && v.Column >= 1));
    }

    [Theory]
    [MemberData(nameof(HarmlessNames))]
    public void Harmless_Passes(string name)
    {
        var c = Corpus.Find(Corpus.Harmless, name);

        var result = Check(c);

        Assert.True(result.IsAllowed, result.Describe());
    }
}
