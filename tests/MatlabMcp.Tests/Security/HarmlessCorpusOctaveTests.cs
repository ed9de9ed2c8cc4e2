using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Security;

/// <summary>One real Octave for the whole class: the harmless corpus is code that runs, not just code that passes.</summary>
public sealed class OctaveEngineFixture : IAsyncDisposable
{
    internal EngineHarness Engine { get; } = new();

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}

[ClassDataSource<OctaveEngineFixture>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(HarmlessCorpusOctaveTests))] // the cases take turns on the one engine
public sealed class HarmlessCorpusOctaveTests(OctaveEngineFixture fixture)
{
    public static IEnumerable<string> RunnableNames => Corpus.Names(Corpus.Harmless.Where(c => c.RunsInOctave));

    [Test]
    public async Task Corpus_MostHarmlessCasesRunInOctave() =>
        await Assert.That(Corpus.Harmless.Count(c => c.RunsInOctave) >= 20).IsTrue();

    /// <summary>Goes through execute's full path: the policy lets it through and Octave runs it without an error.</summary>
    [Test]
    [MethodDataSource(nameof(RunnableNames))]
    public async Task HarmlessCase_PassesThePolicyAndRunsInOctave(string name)
    {
        var c = Corpus.Find(Corpus.Harmless, name);
        await fixture.Engine.RunAsync("clear -v"); // cases share the engine, not their variables

        var outcome = await fixture.Engine.RunAsync(c.Code, timeoutSeconds: 60);

        await Assert.That(outcome.Status == JobState.Completed).IsTrue().Because($"{outcome.Status}: {outcome.Message} {outcome.Error?.Message}\n{outcome.Output}");
    }
}
