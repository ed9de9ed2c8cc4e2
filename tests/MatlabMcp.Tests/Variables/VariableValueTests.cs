using System.Globalization;
using System.Text.Json;

namespace MatlabMcp.Tests.Variables;

/// <summary>get_variable against real Octave: every class it encodes, in MATLAB's jsonencode conventions.</summary>
[ClassDataSource<VariableFixture>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(VariableValueTests))] // the cases take turns on the one engine
public sealed class VariableValueTests(VariableFixture fixture)
{
    private async Task<string> Json(string name) => (await fixture.ValueAsync(name)).GetRawText();

    [Test]
    public async Task Doubles_ScalarVectorMatrixAndNd_NestAsJsonencodeDoes()
    {
        await Assert.That(await Json("dbl")).IsEqualTo("2.5");
        await Assert.That(await Json("row")).IsEqualTo("[1,2,3]");
        await Assert.That(await Json("col")).IsEqualTo("[4,5,6]");
        await Assert.That(await Json("mat")).IsEqualTo("[[1,2,3],[4,5,6]]");
        // cube(i,j,k) = i + 2(j-1) + 6(k-1): outermost the first dimension, innermost the last.
        var cube = await fixture.ValueAsync("cube");
        await Assert.That(cube.GetArrayLength()).IsEqualTo(2);
        await Assert.That(cube[0].GetArrayLength()).IsEqualTo(3);
        await Assert.That(cube[0][0].GetRawText()).IsEqualTo("[1,7,13,19]");
        await Assert.That(cube[1][2][3].GetInt32()).IsEqualTo(24);
        var report = await fixture.ReportAsync("cube");
        await Assert.That(report.GetProperty("size").GetRawText()).IsEqualTo("[2,3,4]");
        await Assert.That(report.GetProperty("class").GetString()).IsEqualTo("double");
        await Assert.That(report.GetProperty("truncated").GetBoolean()).IsFalse();
        await Assert.That(report.GetProperty("elements_returned").GetInt32()).IsEqualTo(24);
    }

    [Test]
    public async Task Doubles_NonFiniteAsStrings_OthersShortestExact()
    {
        var special = await fixture.ValueAsync("special");

        await Assert.That(special[0].GetString()).IsEqualTo("NaN");
        await Assert.That(special[1].GetString()).IsEqualTo("Inf");
        await Assert.That(special[2].GetString()).IsEqualTo("-Inf");
        await Assert.That(special[3].GetRawText()).IsEqualTo("0.1");
        await Assert.That(special[4].GetDouble()).IsEqualTo(1.0 / 3).Because("the text reads back as the same double");
        await Assert.That(special[5].GetRawText()).IsEqualTo("123456789012");
        await Assert.That(special[6].GetDouble()).IsEqualTo(0);
    }

    [Test]
    public async Task Complex_RealAndImagArraysOfTheValuesShape()
    {
        await Assert.That(await Json("z")).IsEqualTo("""{"real":3,"imag":4}""");
        await Assert.That(await Json("zv")).IsEqualTo("""{"real":[1,3],"imag":[2,-4]}""");
    }

    [Test]
    public async Task Integers_EveryTypeExactly_64BitBeyond2To53AsStrings()
    {
        await Assert.That(await Json("i8")).IsEqualTo("[-128,127]");
        await Assert.That(await Json("u8")).IsEqualTo("[0,255]");
        await Assert.That(await Json("i16")).IsEqualTo("[-32768,32767]");
        await Assert.That(await Json("u16")).IsEqualTo("[0,65535]");
        await Assert.That(await Json("i32")).IsEqualTo("[-2147483648,2147483647]");
        await Assert.That(await Json("u32")).IsEqualTo("[0,4294967295]");
        await Assert.That(await Json("i64")).IsEqualTo("""["-9223372036854775808","9223372036854775807",42,9007199254740992,"9007199254740993"]""");
        await Assert.That(await Json("u64")).IsEqualTo("""["18446744073709551615",7]""");
        await Assert.That((await fixture.ReportAsync("u64")).GetProperty("class").GetString()).IsEqualTo("uint64");
    }

    [Test]
    public async Task Single_ShortestTextThatReadsBackAsTheSingle()
    {
        var sgl = await fixture.ValueAsync("sgl");

        await Assert.That(sgl[0].GetRawText()).IsEqualTo("0.1");
        await Assert.That(float.Parse(sgl[1].GetRawText(), CultureInfo.InvariantCulture)).IsEqualTo(1f / 3);
        await Assert.That(sgl[2].GetString()).IsEqualTo("NaN");
        await Assert.That(sgl[3].GetString()).IsEqualTo("-Inf");
    }

    [Test]
    public async Task LogicalAndChar_BooleansStringsAndRowsOfACharMatrix()
    {
        await Assert.That(await Json("yes")).IsEqualTo("true");
        await Assert.That(await Json("flags")).IsEqualTo("[true,false,true]");
        await Assert.That((await fixture.ValueAsync("txt")).GetString()).IsEqualTo("say \"hi\" \\ there");
        await Assert.That(await Json("rows2")).IsEqualTo("""["ab","cd"]""");
    }

    [Test]
    public async Task CellsAndStructs_ArraysAndObjects_Nested()
    {
        await Assert.That(await Json("c")).IsEqualTo("""[1,"two",[3,4]]""");
        await Assert.That(await Json("nested")).IsEqualTo("[1,[2,[3]]]");
        await Assert.That(await Json("s")).IsEqualTo("""{"a":1,"b":"x"}""");
        await Assert.That(await Json("sa")).IsEqualTo("""[{"v":1},{"v":2},{"v":3}]""");
        await Assert.That(await Json("ns")).IsEqualTo("""{"outer":{"inner":[1,"deep"]}}""");
    }

    [Test]
    public async Task HandlesSparseAndMap_TextTripletsAndObject()
    {
        await Assert.That((await fixture.ValueAsync("fh")).GetString()).IsEqualTo("@(x) x .^ 2 + 1");
        await Assert.That((await fixture.ValueAsync("named")).GetString()).IsEqualTo("sin");
        await Assert.That(await Json("sp")).IsEqualTo("""{"rows":[1,3],"columns":[2,2],"values":[5,6]}""");
        await Assert.That(await Json("spz")).IsEqualTo("""{"rows":[1,2],"columns":[1,1],"values":{"real":[1,3],"imag":[2,0]}}""");
        await Assert.That(await Json("spl")).IsEqualTo("""{"rows":[1,2],"columns":[1,2],"values":[true,true]}""");
        var sparse = await fixture.ReportAsync("sp");
        await Assert.That(sparse.GetProperty("size").GetRawText()).IsEqualTo("[4,4]");
        await Assert.That(await Json("m")).IsEqualTo("""{"alpha":1,"beta":"b"}""");
        await Assert.That((await fixture.ReportAsync("m")).GetProperty("class").GetString()).IsEqualTo("containers.Map");
    }

    [Test]
    public async Task Objects_ClassdefPublicPropertiesOnly_OldStyleFields()
    {
        var point = await fixture.ReportAsync("pt");
        await Assert.That(point.GetProperty("class").GetString()).IsEqualTo("VarPoint");
        using var expected = JsonDocument.Parse("""{"x":1,"label":"p"}"""); // Octave lists properties sorted
        await Assert.That(JsonElement.DeepEquals(point.GetProperty("value"), expected.RootElement)).IsTrue()
            .Because($"the private property stays private: {point.GetProperty("value").GetRawText()}");

        var old = await fixture.ReportAsync("old");
        await Assert.That(old.GetProperty("class").GetString()).IsEqualTo("VarOld");
        await Assert.That(old.GetProperty("value").GetRawText()).IsEqualTo("""{"a":1,"b":"two"}""");
    }

    [Test]
    public async Task Empties_EachAsItsEmptyJson_WithTheirSize()
    {
        await Assert.That(await Json("em")).IsEqualTo("[]");
        await Assert.That(await Json("es")).IsEqualTo("\"\"");
        await Assert.That(await Json("ec")).IsEqualTo("[]");
        await Assert.That(await Json("est")).IsEqualTo("{}");
        await Assert.That(await Json("ez")).IsEqualTo("[]");
        await Assert.That((await fixture.ReportAsync("ez")).GetProperty("size").GetRawText()).IsEqualTo("[0,3]");
    }

    [Test]
    public async Task ControlCharacters_InAString_AreEscapedInTheText()
    {
        var result = await fixture.GetAsync("ctl");

        await Assert.That(VariableFixture.Text(result)).DoesNotContain("\u001b");
        await Assert.That(VariableFixture.Text(result)).Contains("\\u001B");
        await Assert.That(result.StructuredContent!.Value.GetProperty("value").GetString()).IsEqualTo("a\u001b[31mred");
    }

    [Test]
    public async Task Utf8_KeptWhole_MalformedBytesBecomeReplacementCharacters_AndTheEngineLives()
    {
        await Assert.That((await fixture.ValueAsync("utf")).GetString()).IsEqualTo("héllo 😀");
        // 200 is a stray byte, ED A0 80 a surrogate, E2 82 a character cut short: none is UTF-8, and one bad byte in
        // the frame would make the server drop the engine.
        await Assert.That((await fixture.ValueAsync("badbytes")).GetString()).IsEqualTo("h\uFFFDi\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD");
        await Assert.That((await fixture.ValueAsync("dbl")).GetDouble()).IsEqualTo(2.5);
    }

    [Test]
    public async Task Result_TextIsTheStructuredContentAsCompactJson()
    {
        var result = await fixture.GetAsync("mat");

        var text = VariableFixture.Text(result);
        await Assert.That(text).DoesNotContain("\n");
        using var parsed = JsonDocument.Parse(text);
        await Assert.That(JsonElement.DeepEquals(parsed.RootElement, result.StructuredContent!.Value)).IsTrue();
        foreach (var key in new[] { "name", "class", "size", "truncated", "elements_returned", "value" })
            await Assert.That(parsed.RootElement.TryGetProperty(key, out _)).IsTrue().Because(key);
        await Assert.That(parsed.RootElement.TryGetProperty("cuts", out _)).IsFalse().Because("nothing was cut");
    }
}
