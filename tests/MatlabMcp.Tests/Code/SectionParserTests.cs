using System.Text.Json;
using MatlabMcp.Endpoints;
using MatlabMcp.Output.Code;

namespace MatlabMcp.Tests.Code;

/// <summary>
/// Issue 14: an .m file read without running it: script or function (and its outputs), its %% cells by MATLAB's rules,
/// a cell chosen by index or title, and run_file's args typed as a MATLAB user writes them and bounded.
/// </summary>
public sealed class SectionParserTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private const string Script = """
        % ANALYSIS  header comment only
        %% Load data
        x = 1;
        %%% three percent signs: a comment, not a cell
        %%x no blank after: not a cell
        %{
        %% inside a block comment: not a cell
        %}
          %%	Fit model
        y = 2;
        %%
        z = 3;
        %% Fit residuals
        r = 0;
        """;

    [Test]
    public async Task Sections_FollowMatlabsRules()
    {
        var sections = MFile.Parse(Script).Sections();

        await Assert.That(sections.Select(s => (s.Index, s.Title, s.StartLine, s.EndLine))).IsEquivalentTo(new[]
        {
            (1, "Load data", 2, 8), (2, "Fit model", 9, 10), (3, "", 11, 12), (4, "Fit residuals", 13, 14),
        }, CollectionOrdering.Matching);
    }

    [Test]
    public async Task Sections_CodeBeforeTheFirstBreak_IsAnUntitledCell_AndAFileWithoutBreaksIsOne()
    {
        var withCode = MFile.Parse("a = 1;\r\n%% Next\r\nb = 2;\r\n").Sections();
        await Assert.That(withCode.Select(s => (s.Title, s.StartLine, s.EndLine))).IsEquivalentTo(new[] { ("", 1, 1), ("Next", 2, 3) },
            CollectionOrdering.Matching);

        var none = MFile.Parse("a = 1;\nb = 2;\n").Sections();
        await Assert.That(none.Single()).IsEqualTo(new CodeSection(1, "", 1, 2));
    }

    [Test]
    public async Task CellCode_KeepsTheFilesLineNumbers()
    {
        var file = MFile.Parse(Script);
        var fit = file.Sections()[1];

        var code = file.CellCode(fit);

        await Assert.That(code.Split('\n')[8].Trim()).IsEqualTo("%%\tFit model").Because("line 9 of the code is line 9 of the file");
        await Assert.That(code.Split('\n')[9]).IsEqualTo("y = 2;");
        await Assert.That(code.Split('\n').Take(8).All(l => l.Length == 0)).IsTrue();
    }

    [Test]
    [Arguments("% help\n\nfunction [a, b, varargout] = f(x)\nend\n", "Function", 2)]
    [Arguments("function y = f(x)\n  y = x;\nend\n", "Function", 1)]
    [Arguments("%{\nblock\n%}\nfunction f()\nend\n", "Function", 0)]
    [Arguments("function varargout = f()\nend\n", "Function", 1)]
    [Arguments("1;\nfunction y = f(x)\nend\n", "Script", 0)]
    [Arguments("functions_used = 1;\n", "Script", 0)]
    [Arguments("classdef Thing\nend\n", "Class", 0)]
    public async Task Kind_IsTheFirstStatements(string text, string kind, int outputs)
    {
        var file = MFile.Parse(text);
        await Assert.That(file.Kind.ToString()).IsEqualTo(kind);
        await Assert.That(file.Outputs).IsEqualTo(outputs);
    }

    [Test]
    public async Task Find_ByIndexOrTitle_ExactThenUniquePrefix()
    {
        var sections = MFile.Parse(Script).Sections();

        await Assert.That(SectionText.Find(Json("2"), sections, out var byNumber)).IsNull();
        await Assert.That(byNumber!.Title).IsEqualTo("Fit model");
        await Assert.That(SectionText.Find(Json("\"4\""), sections, out var byText)).IsNull();
        await Assert.That(byText!.Title).IsEqualTo("Fit residuals");
        await Assert.That(SectionText.Find(Json("\"LOAD\""), sections, out var prefix)).IsNull();
        await Assert.That(prefix!.Index).IsEqualTo(1);
        await Assert.That(SectionText.Find(Json("\"fit model\""), sections, out var caseless)).IsNull();
        await Assert.That(caseless!.Index).IsEqualTo(2);

        var ambiguous = SectionText.Find(Json("\"fit\""), sections, out var none);
        await Assert.That(none).IsNull();
        await Assert.That(ambiguous).Contains("2 \"Fit model\"").And.Contains("4 \"Fit residuals\"");
        await Assert.That(SectionText.Find(Json("5"), sections, out _)).Contains("1 to 4");
        await Assert.That(SectionText.Find(Json("0"), sections, out _)).IsNotNull();
        await Assert.That(SectionText.Find(Json("\"Plot\""), sections, out _)).Contains("No section is titled 'Plot'");
    }

    [Test]
    [Arguments("\"Load\\u0000data\"")]
    [Arguments("\"Load\\ndata\"")]
    [Arguments("\"Fit\\u001b[31m\"")]
    [Arguments("\"\"")]
    [Arguments("true")]
    [Arguments("2.5")]
    public async Task Find_ControlCharactersAndOtherShapes_AreRefused(string selector)
    {
        var problem = SectionText.Find(Json(selector), MFile.Parse(Script).Sections(), out var found);
        await Assert.That(problem).IsNotNull();
        await Assert.That(found).IsNull();
    }

    [Test]
    public async Task Find_AHugeTitle_IsRefused() =>
        await Assert.That(SectionText.Find(JsonSerializer.SerializeToElement(new string('a', 100_000)), MFile.Parse(Script).Sections(), out _))
            .Contains("1 to 200 characters");

    [Test]
    public async Task Arguments_AreTypedAsMatlabWritesThem()
    {
        var args = FileArguments.Parse(Json("""[3, "text", [1,2,3], [[1,2],[3,4]], ["a","b"], {"k":1}, [1,"x"], true, null, []]"""), 1000, out var problem);

        await Assert.That(problem).IsNull();
        await Assert.That(args.Select(a => a.Type)).IsEquivalentTo(new[] { "", "", "double[]", "double[][]", "string[]", "struct", "cell", "", "", "double[]" },
            CollectionOrdering.Matching);
        var written = FileArguments.Parse(JsonSerializer.SerializeToElement("[1, 2]"), 1000, out _);
        await Assert.That(written.Count).IsEqualTo(2).Because("a client that sends the array as a string");
    }

    [Test]
    public async Task Arguments_NotAnArray_OrPastTheLimit_AreRefused()
    {
        FileArguments.Parse(Json("{\"a\":1}"), 1000, out var notArray);
        await Assert.That(notArray).Contains("JSON array");
        FileArguments.Parse(Json("\"[1, 2\""), 1000, out var broken);
        await Assert.That(broken).Contains("not valid JSON");
        var huge = "[" + string.Join(',', Enumerable.Repeat("123456789", 200)) + "]";
        var refused = FileArguments.Parse(Json(huge), 1000, out var tooLong);
        await Assert.That(refused.Count).IsEqualTo(0);
        await Assert.That(tooLong).Contains("execution.max_code_chars");
        FileArguments.Parse(JsonSerializer.SerializeToElement(huge), 1000, out var tooLongText);
        await Assert.That(tooLongText).Contains("execution.max_code_chars");
    }
}
