using MatlabMcp.Jobs;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Security;

/// <summary>One real Octave for the whole class: the harmless corpus is code that runs, not just code that passes.</summary>
public sealed class OctaveEngineFixture : IAsyncLifetime
{
    internal EngineHarness Engine { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => Engine.DisposeAsync().AsTask();
}

public sealed class HarmlessCorpusOctaveTests(OctaveEngineFixture fixture) : IClassFixture<OctaveEngineFixture>
{
    public static TheoryData<string> RunnableNames => Corpus.Names(Corpus.Harmless.Where(c => c.RunsInOctave));

    [Fact]
    public void Corpus_MostHarmlessCasesRunInOctave() =>
        Assert.True(Corpus.Harmless.Count(c => c.RunsInOctave) >= 20);

    /// <summary>Goes through execute's full path: the policy lets it through and Octave runs it without an error.</summary>
    [Theory]
    [MemberData(nameof(RunnableNames))]
    public async Task HarmlessCase_PassesThePolicyAndRunsInOctave(string name)
    {
        var c = Corpus.Find(Corpus.Harmless, name);
        await fixture.Engine.RunAsync("clear -v"); // cases share the engine, not their variables

        var outcome = await fixture.Engine.RunAsync(c.Code, timeoutSeconds: 60);

        Assert.True(outcome.Status == ExecutionStatus.Completed,
            $"{outcome.Status}: {outcome.Message} {outcome.Error?.Message}\n{outcome.Output}");
    }
}
