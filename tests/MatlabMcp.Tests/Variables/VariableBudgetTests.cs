using System.Diagnostics;
using System.Text.Json;
using MatlabMcp.Tests.Support;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Tests.Variables;

/// <summary>get_variable's budgets: elements across the nesting, depth, text; the full size always stated.</summary>
[ClassDataSource<VariableFixture>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(VariableBudgetTests))] // the cases take turns on the one engine
public sealed class VariableBudgetTests(VariableFixture fixture)
{
    private static IEnumerable<JsonElement> Cuts(JsonElement report) =>
        report.TryGetProperty("cuts", out var cuts) ? cuts.EnumerateArray().ToList() : [];

    [Test]
    public async Task LongVector_DefaultBudget_FirstThousand_FullSizeAndCutStated()
    {
        var report = await fixture.ReportAsync("big");

        await Assert.That(report.GetProperty("size").GetRawText()).IsEqualTo("[1000000,1]");
        await Assert.That(report.GetProperty("truncated").GetBoolean()).IsTrue();
        await Assert.That(report.GetProperty("elements_returned").GetInt32()).IsEqualTo(1000);
        var value = report.GetProperty("value");
        await Assert.That(value.GetArrayLength()).IsEqualTo(1000);
        await Assert.That(value[999].GetInt32()).IsEqualTo(1000);
        var cut = Cuts(report).Single();
        await Assert.That(cut.GetProperty("path").GetString()).IsEqualTo("big");
        await Assert.That(cut.GetProperty("returned").GetInt32()).IsEqualTo(1000);
        await Assert.That(cut.GetProperty("reason").GetString()).IsEqualTo("elements");
    }

    [Test]
    public async Task MaxElements_LowersTheBudget_AndAboveTheCeilingIsCappedWithANotice()
    {
        var few = await fixture.ReportAsync("big", maxElements: 10);
        await Assert.That(few.GetProperty("value").GetRawText()).IsEqualTo("[1,2,3,4,5,6,7,8,9,10]");

        var many = await fixture.ReportAsync("big", maxElements: 50_000);
        await Assert.That(many.GetProperty("value").GetArrayLength()).IsEqualTo(1000);
        await Assert.That(many.GetProperty("notice").GetString()).Contains("output.max_variable_elements");

        var refused = await fixture.GetAsync("big", maxElements: 0);
        await Assert.That(refused.IsError).IsTrue();
    }

    [Test]
    public async Task Matrix_CutToWholeRows()
    {
        // wide is 100x200: 1000 elements are its first 5 rows, each whole.
        var report = await fixture.ReportAsync("wide");

        var value = report.GetProperty("value");
        await Assert.That(value.GetArrayLength()).IsEqualTo(5);
        await Assert.That(value[4].GetArrayLength()).IsEqualTo(200);
        await Assert.That(value[1][0].GetInt32()).IsEqualTo(2).Because("row 2 starts with wide(2,1)");
        await Assert.That(report.GetProperty("size").GetRawText()).IsEqualTo("[100,200]");
    }

    [Test]
    public async Task StructOfAMillionCells_BudgetIsGlobal_AndQuick()
    {
        var clock = Stopwatch.StartNew();
        var report = await fixture.ReportAsync("lots", maxElements: 50);

        await Assert.That(clock.Elapsed < TimeSpan.FromSeconds(10)).IsTrue().Because($"took {clock.ElapsedMilliseconds} ms");
        await Assert.That(report.GetProperty("elements_returned").GetInt32()).IsEqualTo(50);
        await Assert.That(report.GetProperty("value").GetProperty("c").GetArrayLength()).IsEqualTo(50);
        var cut = Cuts(report).Single();
        await Assert.That(cut.GetProperty("path").GetString()).IsEqualTo("lots.c");
        await Assert.That(cut.GetProperty("size").GetRawText()).IsEqualTo("[1,1000000]");
    }

    [Test]
    public async Task DeepNesting_StopsAtTheDepthLimit_NamingWhatIsNotOpened()
    {
        var report = await fixture.ReportAsync("deep");

        var cut = Cuts(report).Single();
        await Assert.That(cut.GetProperty("reason").GetString()).IsEqualTo("depth");
        await Assert.That(cut.GetProperty("path").GetString()).StartsWith("deep{1}{1}");
        await Assert.That(report.GetProperty("value").GetRawText()).Contains("\"[1x1 cell]\"");
    }

    [Test]
    public async Task ManyCuts_TheFirstTwentyListed_TheRestCounted()
    {
        // 30 siblings, each nested past the depth limit: 30 cuts.
        var report = await fixture.ReportAsync("deeps");

        await Assert.That(Cuts(report).Count()).IsEqualTo(20);
        await Assert.That(report.GetProperty("cuts_not_listed").GetInt32()).IsEqualTo(10);
        await Assert.That(report.GetProperty("value").GetArrayLength()).IsEqualTo(30);
    }

    [Test]
    public async Task LongString_CutToTheTextBudget()
    {
        var result = await fixture.GetAsync("long");

        var report = result.StructuredContent!.Value;
        var limit = fixture.Engine.Config.Output.MaxOutputChars;
        await Assert.That(report.GetProperty("value").GetString()!.Length <= limit).IsTrue();
        await Assert.That(VariableFixture.Text(result).Length <= limit + 1000).IsTrue().Because("the text is bounded by output.max_output_chars and a small envelope");
        var cut = Cuts(report).Single();
        await Assert.That(cut.GetProperty("reason").GetString()).IsEqualTo("characters");
        await Assert.That(report.GetProperty("size").GetRawText()).IsEqualTo("[1,1000000]");
    }

    [Test]
    public async Task MaxOutputChars_BoundsANumericValuesText()
    {
        await using var engine = new EngineHarness(c => c.Output.MaxOutputChars = 500);
        await engine.RunAsync("v = rand(1, 1000);");
        var tools = new MatlabMcp.Endpoints.WorkspaceTools(engine.Sessions, engine.Results, Options.Create(engine.Config.Output));

        var result = await tools.ReadVariableAsync("local", null, "v", null, TimeSpan.Zero, CancellationToken.None);

        var report = result.StructuredContent!.Value;
        await Assert.That(report.GetProperty("value").GetRawText().Length <= 500).IsTrue();
        await Assert.That(report.GetProperty("value").GetArrayLength() > 10).IsTrue();
        await Assert.That(Cuts(report).Single().GetProperty("reason").GetString()).IsEqualTo("characters");
    }

    [Test]
    public async Task MaxVariableElements_IsTheDefaultAndTheCeiling()
    {
        await using var engine = new EngineHarness(c => c.Output.MaxVariableElements = 7);
        await engine.RunAsync("v = 1:100;");
        var tools = new MatlabMcp.Endpoints.WorkspaceTools(engine.Sessions, engine.Results, Options.Create(engine.Config.Output));

        var byDefault = await tools.ReadVariableAsync("local", null, "v", null, TimeSpan.Zero, CancellationToken.None);
        var asked = await tools.ReadVariableAsync("local", null, "v", 50, TimeSpan.Zero, CancellationToken.None);

        await Assert.That(byDefault.StructuredContent!.Value.GetProperty("value").GetRawText()).IsEqualTo("[1,2,3,4,5,6,7]");
        await Assert.That(asked.StructuredContent!.Value.GetProperty("value").GetArrayLength()).IsEqualTo(7);
    }

    [Test]
    public async Task Speed_ThousandDoubles_AndAMillionSlicedFirst()
    {
        await fixture.ReportAsync("big"); // warm
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
            await fixture.ReportAsync("big");
        var perCall = clock.Elapsed.TotalMilliseconds / 10;
        Console.WriteLine($"get_variable of a 1e6x1 vector (1000 returned): {perCall:0.0} ms per call");
        await Assert.That(perCall < 1000).IsTrue().Because($"{perCall:0} ms: the engine must slice before it encodes");
    }
}
