using System.Text.Json;
using MatlabMcp.Configuration;
using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.CustomTools;

/// <summary>
/// The shipped examples/custom_tools.yaml, as copied beside the built server (its path: ../matlab/examples finds the .m
/// files copied there too): each tool works through the real server and a real Octave.
/// </summary>
public sealed class CustomToolExampleTests : IAsyncDisposable
{
    private static readonly string ExampleFile = Path.Combine(Path.GetDirectoryName(Repo.ServerDll)!, "examples", "custom_tools.yaml");
    private McpClient? _client;

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
            await _client.DisposeAsync();
    }

    private async Task<McpClient> ConnectAsync() => _client = await ServerProcess.ConnectStdioAsync(
        environment: new Dictionary<string, string?> { ["MATLAB_MCP_CUSTOM_TOOLS__FILE"] = ExampleFile });

    private static JsonElement Returned(CallToolResult result)
    {
        var line = StdioServerTests.Text(result).Split('\n').Single(l => l.StartsWith("Returned: ", StringComparison.Ordinal));
        return JsonDocument.Parse(line["Returned: ".Length..]).RootElement.Clone();
    }

    [Test]
    public async Task TheExampleFile_IsValid_AndIsTheRepositorysOwn()
    {
        var (tools, errors) = CustomToolsFile.Load(ExampleFile);

        await Assert.That(errors).IsEmpty();
        await Assert.That(tools.Select(t => t.Name)).IsEquivalentTo(new[] { "fit_curve", "convert_units", "summarize_struct" },
            CollectionOrdering.Matching);
        await Assert.That(await File.ReadAllTextAsync(ExampleFile))
            .IsEqualTo(await File.ReadAllTextAsync(Path.Combine(Repo.Root, "examples", "custom_tools.yaml")));
    }

    [Test]
    public async Task FitCurve_ReturnsCoefficientsAndRSquared_AndDrawsTheFit()
    {
        var client = await ConnectAsync();

        var result = await client.CallToolAsync("fit_curve", ServerProcess.Args(("x", new[] { 0, 1, 2, 3, 4 }),
            ("y", new[] { 1.0, 3.1, 4.9, 7.2, 8.8 })));

        await Assert.That(result.IsError).IsNotEqualTo(true).Because(StdioServerTests.Text(result));
        var value = Returned(result);
        await Assert.That(value[0][0].GetDouble()).IsBetween(1.9, 2.1).Because("slope about 2");
        await Assert.That(value[0][1].GetDouble()).IsBetween(0.9, 1.2).Because("intercept about 1");
        await Assert.That(value[1].GetDouble()).IsGreaterThan(0.99);
        await Assert.That(StdioServerTests.Text(result)).StartsWith("degree 1 fit of 5 points: R^2 = 0.99");
        await Assert.That(result.Content.OfType<ImageContentBlock>().Count()).IsEqualTo(1).Because("show_plot defaults to true");

        var quadratic = await client.CallToolAsync("fit_curve", ServerProcess.Args(("x", new[] { -2, -1, 0, 1, 2 }),
            ("y", new[] { 4, 1, 0, 1, 4 }), ("degree", 2), ("show_plot", false)));
        await Assert.That(Returned(quadratic)[0][0].GetDouble()).IsBetween(0.999, 1.001);
        await Assert.That(quadratic.Content.OfType<ImageContentBlock>()).IsEmpty();

        var mismatched = await client.CallToolAsync("fit_curve", ServerProcess.Args(("x", new[] { 1, 2 }), ("y", new[] { 1 })));
        await Assert.That(StdioServerTests.Text(mismatched)).Contains("x has 2 values but y has 1");
    }

    [Test]
    public async Task ConvertUnits_ConvertsLengthsAndTemperatures_AndRoundsOnRequest()
    {
        var client = await ConnectAsync();

        var feet = Returned(await client.CallToolAsync("convert_units", ServerProcess.Args(("value", 100), ("from", "ft"), ("to", "m"))));
        var boiling = Returned(await client.CallToolAsync("convert_units", ServerProcess.Args(("value", 212), ("from", "F"), ("to", "C"),
            ("round_result", true))));
        var miles = Returned(await client.CallToolAsync("convert_units", ServerProcess.Args(("value", 1), ("from", "mi"), ("to", "km"),
            ("round_result", true))));
        var wrong = await client.CallToolAsync("convert_units", ServerProcess.Args(("value", 1), ("from", "kg"), ("to", "m")));

        await Assert.That(feet[0].GetDouble()).IsEqualTo(30.48).Within(1e-9);
        await Assert.That(boiling[0].GetDouble()).IsEqualTo(100);
        await Assert.That(miles[0].GetDouble()).IsEqualTo(1.609);
        await Assert.That(wrong.IsError).IsTrue();
        await Assert.That(StdioServerTests.Text(wrong)).Contains("cannot convert \"kg\" to \"m\"");
    }

    [Test]
    public async Task SummarizeStruct_DescribesEachField()
    {
        var client = await ConnectAsync();
        var data = new Dictionary<string, object> { ["temps"] = new[] { 3, 9, 6 }, ["site"] = "north", ["meta"] = new Dictionary<string, object> { ["n"] = 1 } };

        var all = Returned(await client.CallToolAsync("summarize_struct", ServerProcess.Args(("data", data))))[0];
        var some = Returned(await client.CallToolAsync("summarize_struct", ServerProcess.Args(("data", data), ("fields", new[] { "temps" }))))[0];

        await Assert.That(all.EnumerateArray().Select(f => f.GetProperty("field").GetString()!)).IsEquivalentTo(
            new[] { "temps", "site", "meta" }, CollectionOrdering.Matching);
        await Assert.That(all.EnumerateArray().Select(f => f.GetProperty("class").GetString()!)).IsEquivalentTo(
            new[] { "double", "char", "struct" }, CollectionOrdering.Matching);
        await Assert.That(all[0].GetProperty("mean").GetDouble()).IsEqualTo(6);
        await Assert.That(all[0].GetProperty("max").GetDouble()).IsEqualTo(9);
        await Assert.That(some.GetProperty("field").GetString()).IsEqualTo("temps").Because("one field: a 1x1 struct, a JSON object");
    }
}
