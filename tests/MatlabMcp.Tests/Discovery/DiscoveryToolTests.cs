using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MatlabMcp.Endpoints;
using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Discovery;

/// <summary>One real server (stdio, official C# SDK client, real Octave) shared by the discovery tests.</summary>
public sealed class DiscoveryServer : IAsyncInitializer, IAsyncDisposable
{
    internal ConfiguredServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ConfiguredServer.StartAsync(("sessions__max_per_identity", "8"));

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Issue 14's discovery tools against a real Octave: get_help, which, list_toolboxes, list_functions, find_functions, in the
/// caller's session (so a function file in the session folder is found), with every name refused unless it is a name.
/// </summary>
[ClassDataSource<DiscoveryServer>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(DiscoveryToolTests))] // one engine per session: the tests take turns
public sealed class DiscoveryToolTests(DiscoveryServer fixture)
{
    private ConfiguredServer Server => fixture.Server;

    private static string Text(CallToolResult result) => ConfiguredServer.Text(result);

    [Test]
    public async Task GetHelp_OfABuiltin_IsItsHelpText()
    {
        var result = await Server.CallAsync("get_help", ("name", "sum"));

        await Assert.That(result.IsError ?? false).IsFalse().Because(Text(result));
        await Assert.That(Text(result)).Contains("Sum of elements along dimension");
        await Assert.That(Text(result)).Contains("sum (X, DIM)");
    }

    [Test]
    public async Task GetHelpAndWhich_OfAFunctionInTheSessionFolder_FindIt()
    {
        const string file = "function y = disc_twice(x)\n% DISC_TWICE  Doubles its input.\n%   y = disc_twice(x) returns 2*x.\n  y = 2 * x;\nend\n";
        var upload = await Server.CallAsync("upload_file", ("path", "disc_twice.m"), ("session", "disc"),
            ("content_base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(file))));
        await Assert.That(upload.IsError ?? false).IsFalse().Because(Text(upload));

        var help = await Server.CallAsync("get_help", ("name", "disc_twice"), ("session", "disc"));
        await Assert.That(Text(help)).Contains("DISC_TWICE  Doubles its input.");
        await Assert.That(Text(help)).Contains("y = disc_twice(x) returns 2*x.");

        var which = await Server.CallAsync("which", ("name", "disc_twice"), ("session", "disc"));
        var found = which.StructuredContent!.Value;
        await Assert.That(found.GetProperty("kind").GetString()).IsEqualTo("file");
        await Assert.That(found.GetProperty("path").GetString()).IsEqualTo("disc_twice.m").Because("shown as the file tools name it");
        await Assert.That(found.GetProperty("in_session").GetBoolean()).IsTrue();

        // Another session has its own folder: the function is not on its path.
        var elsewhere = await Server.CallAsync("get_help", ("name", "disc_twice"), ("session", "disc-other"));
        await Assert.That(elsewhere.IsError).IsTrue();
        await Assert.That(Text(elsewhere)).Contains("find_functions");
    }

    [Test]
    public async Task GetHelp_OfTheBridgeHelpers_SaysHowToUseThem()
    {
        var result = await Server.CallAsync("get_help", ("name", "mcp_progress"));

        await Assert.That(Text(result)).Contains("mcp_progress(0.25, 'meshing')");
        await Assert.That(Text(result)).Contains("percentage");
    }

    [Test]
    public async Task GetHelp_OfAShadowedFunction_GivesOurNoteThenTheOriginalHelp()
    {
        var text = Text(await Server.CallAsync("get_help", ("name", "load")));

        await Assert.That(text).Contains("Shadowed by MatlabMcp");
        await Assert.That(text).Contains("Load the named variables").Because("Octave's own help of load follows the note");
        await Assert.That(text.IndexOf("Shadowed", StringComparison.Ordinal)).IsLessThan(text.IndexOf("Load the named", StringComparison.Ordinal));
    }

    [Test]
    public async Task Which_OfABuiltin_AndOfAVariable_SayWhatEachIs()
    {
        var builtin = (await Server.CallAsync("which", ("name", "sum"), ("session", "which"))).StructuredContent!.Value;
        await Assert.That(builtin.GetProperty("kind").GetString()).IsEqualTo("builtin");

        await Server.CallAsync("execute_code", ("code", "grid_w = ones(2, 3); sum = 5;"), ("session", "which"));
        var variable = (await Server.CallAsync("which", ("name", "grid_w"), ("session", "which"))).StructuredContent!.Value;
        await Assert.That(variable.GetProperty("kind").GetString()).IsEqualTo("variable");
        await Assert.That(variable.GetProperty("class").GetString()).IsEqualTo("double");
        await Assert.That(variable.GetProperty("size").EnumerateArray().Select(d => d.GetDouble())).IsEquivalentTo(new[] { 2.0, 3.0 });

        var hiding = await Server.CallAsync("which", ("name", "sum"), ("session", "which"));
        await Assert.That(hiding.StructuredContent!.Value.GetProperty("kind").GetString()).IsEqualTo("variable");
        await Assert.That(hiding.StructuredContent!.Value.GetProperty("shadows").GetString()).IsEqualTo("builtin");
        await Assert.That(Text(hiding)).Contains("hides the builtin");

        var missing = await Server.CallAsync("which", ("name", "no_such_function_here"), ("session", "which"));
        await Assert.That(missing.StructuredContent!.Value.GetProperty("kind").GetString()).IsEqualTo("not found");
    }

    [Test]
    public async Task ListToolboxes_HasOctavesOwnEntry_AndTheFoldersListFunctionsTakes()
    {
        var result = await Server.CallAsync("list_toolboxes");
        var report = result.StructuredContent!.Value;

        var first = report.GetProperty("toolboxes")[0];
        await Assert.That(first.GetProperty("name").GetString()).IsEqualTo("Octave");
        await Assert.That(first.GetProperty("version").GetString()).Matches(@"^\d+\.\d+\.\d+$");
        await Assert.That(first.GetProperty("loaded").GetBoolean()).IsTrue();
        await Assert.That(report.GetProperty("folders").EnumerateArray().Select(f => f.GetString())).Contains("linear-algebra");
        await Assert.That(Text(result)).StartsWith("Octave ");
    }

    [Test]
    public async Task ListFunctions_OfAFolder_NamesItsFunctions_AndAnUnknownNameIsTold()
    {
        var result = await Server.CallAsync("list_functions", ("toolbox", "linear-algebra"));
        var report = result.StructuredContent!.Value;
        var names = report.GetProperty("functions").EnumerateArray().Select(f => f.GetString()).ToList();

        await Assert.That(names).Contains("cross").And.Contains("null").And.Contains("trace");
        await Assert.That(names.Any(n => n!.StartsWith("__", StringComparison.Ordinal))).IsFalse().Because("internal helpers are left out");
        await Assert.That(report.GetProperty("total").GetDouble()).IsEqualTo(names.Count);

        var big = (await Server.CallAsync("list_functions", ("toolbox", "plot"))).StructuredContent!.Value;
        await Assert.That(big.GetProperty("functions").GetArrayLength()).IsLessThanOrEqualTo(HelpTools.MaxFunctions);

        var unknown = await Server.CallAsync("list_functions", ("toolbox", "no-such-toolbox"));
        await Assert.That(unknown.IsError).IsTrue();
        await Assert.That(Text(unknown)).Contains("list_toolboxes");
    }

    [Test]
    public async Task AnInstalledPackage_IsListed_WithItsFunctions_AndWhetherLoaded()
    {
        // A package installed the way pkg records one (a list file naming its folder); installing from code is blocked.
        var made = await Server.CallAsync("execute_code", ("code", """
            mkdir('demo_pkg'); fid = fopen('demo_pkg/demo_gain.m', 'w'); fprintf(fid, 'function y = demo_gain(x)\ny = 2*x;\nend\n'); fclose(fid);
            p = struct('name', 'demopkg', 'version', '1.2.3', 'date', '2024-01-01', 'author', 'a', 'maintainer', 'm', 'title', 't', ...
                       'description', 'd', 'depends', {{}}, 'autoload', 'no', 'license', 'GPL', ...
                       'dir', fullfile(pwd, 'demo_pkg'), 'archprefix', fullfile(pwd, 'demo_pkg'));
            local_packages = {p}; save('-text', 'pkglist', 'local_packages'); clear local_packages p fid
            pkg('local_list', fullfile(pwd, 'pkglist'));
            """), ("session", "pkg"));
        await Assert.That(made.IsError ?? false).IsFalse().Because(Text(made));

        var toolboxes = await Server.CallAsync("list_toolboxes", ("session", "pkg"));
        var entry = toolboxes.StructuredContent!.Value.GetProperty("toolboxes").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "demopkg");
        await Assert.That(entry.GetProperty("version").GetString()).IsEqualTo("1.2.3");
        await Assert.That(entry.GetProperty("loaded").GetBoolean()).IsFalse();
        await Assert.That(Text(toolboxes)).Contains("demopkg 1.2.3 (not loaded: pkg load demopkg)");

        var functions = await Server.CallAsync("list_functions", ("toolbox", "demopkg"), ("session", "pkg"));
        var report = functions.StructuredContent!.Value;
        await Assert.That(report.GetProperty("kind").GetString()).IsEqualTo("package");
        await Assert.That(report.GetProperty("functions").EnumerateArray().Select(f => f.GetString()!)).IsEquivalentTo(new[] { "demo_gain" });
    }

    [Test]
    public async Task FindFunctions_Cosine_FindsCos_WithinItsTimeBound_AndFindsSessionFunctions()
    {
        var clock = Stopwatch.StartNew();
        var result = await Server.CallAsync("find_functions", ("keyword", "cosine"), ("session", "find"));
        clock.Stop();

        await Assert.That(result.IsError ?? false).IsFalse().Because(Text(result));
        var found = result.StructuredContent!.Value.GetProperty("functions").EnumerateArray().ToList();
        await Assert.That(found.Select(f => f.GetProperty("name").GetString())).Contains("cos");
        await Assert.That(clock.Elapsed.TotalSeconds).IsLessThan(HelpTools.FindTimeoutSeconds);
        await Assert.That(Text(result)).Contains("cos - Compute the cosine");

        await Server.CallAsync("execute_code", ("code",
            "f = fopen('disc_dist.m', 'w'); fprintf(f, 'function d = disc_dist(a, b)\\n%% DISC_DIST  Squared euclidean gap.\\nd = sum((a - b).^2);\\nend\\n'); fclose(f);"),
            ("session", "find"));
        var mine = await Server.CallAsync("find_functions", ("keyword", "euclidean gap"), ("session", "find"));
        var entry = mine.StructuredContent!.Value.GetProperty("functions")[0];
        await Assert.That(entry.GetProperty("name").GetString()).IsEqualTo("disc_dist");
        await Assert.That(entry.GetProperty("summary").GetString()).IsEqualTo("Squared euclidean gap.").Because("the H1 line without the repeated name");

        var bounded = await Server.CallAsync("find_functions", ("keyword", "matrix"), ("max_results", 3));
        var report = bounded.StructuredContent!.Value;
        await Assert.That(report.GetProperty("functions").GetArrayLength()).IsEqualTo(3);
        await Assert.That(report.GetProperty("total").GetDouble()).IsGreaterThan(3);
        await Assert.That(Text(bounded)).Contains("more matches");
    }

    [Test]
    [Arguments("get_help", "name", "sum; system('id')")]
    [Arguments("get_help", "name", "../x")]
    [Arguments("get_help", "name", "sum\n")]
    [Arguments("get_help", "name", "x\u001b[31m")]
    [Arguments("get_help", "name", "")]
    [Arguments("which", "name", "a(1)")]
    [Arguments("which", "name", "x'); system('touch pwned'); %")]
    [Arguments("list_functions", "toolbox", "../../etc")]
    [Arguments("list_functions", "toolbox", "..")]
    [Arguments("list_functions", "toolbox", "plot/draw")]
    [Arguments("find_functions", "keyword", "a'); system('touch pwned'); %")]
    [Arguments("find_functions", "keyword", "cos\u0007")]
    public async Task NamesThatAreNotNames_AreRefused_WithWhatToPass(string tool, string parameter, string value)
    {
        var result = await Server.CallAsync(tool, (parameter, value), ("session", "refusals"));

        await Assert.That(result.IsError).IsTrue().Because(Text(result));
        await Assert.That(Text(result)).Contains("such as").Because("the refusal says what to pass instead");
        await Assert.That(Text(result)).DoesNotContain("\u001b").Because("the caller's text is quoted back escaped");
    }

    [Test]
    public async Task AnOverlongName_IsRefused()
    {
        var result = await Server.CallAsync("get_help", ("name", new string('a', 5_000)));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("at most 200 characters");
        await Assert.That(Text(result).Length).IsLessThan(300).Because("the name is not echoed whole");
    }

    [Test]
    public async Task FindFunctions_IsAJob_WithItsHonestTextInTheAudit()
    {
        var result = await Server.CallAsync("find_functions", ("keyword", "inverse"), ("session", "find"));
        await Assert.That(result.IsError ?? false).IsFalse().Because(Text(result));

        var audit = await Server.CallAsync("query_audit", ("limit", 5));
        var rows = audit.StructuredContent!.Value.GetProperty("entries").EnumerateArray()
            .Select(r => r.GetProperty("code_excerpt").GetString()).ToList();
        await Assert.That(rows).Contains("lookfor('inverse')");
    }

    [Test]
    public async Task AProjectFunction_IsFound_ThroughProjectPath()
    {
        var project = Directory.CreateTempSubdirectory("mcp-help-project-").FullName;
        try
        {
            File.SetUnixFileMode(project, (UnixFileMode)0b111_101_101);
            var lib = Directory.CreateDirectory(Path.Combine(project, "lib")).FullName;
            File.SetUnixFileMode(lib, (UnixFileMode)0b111_101_101);
            await File.WriteAllTextAsync(Path.Combine(lib, "proj_scale.m"),
                "function y = proj_scale(x, k)\n% PROJ_SCALE  Scales a signal by a gain.\n%   y = proj_scale(x, k)\n  y = k * x;\nend\n");
            File.SetUnixFileMode(Path.Combine(lib, "proj_scale.m"), (UnixFileMode)0b110_100_100);
            await using var server = await ConfiguredServer.StartAsync(("execution__project_folders", project));

            var before = await server.CallAsync("get_help", ("name", "proj_scale"));
            await Assert.That(before.IsError).IsTrue().Because("the project folder is not on the path until a call names it");

            var help = await server.CallAsync("get_help", ("name", "proj_scale"), ("project_path", lib));
            await Assert.That(Text(help)).Contains("PROJ_SCALE  Scales a signal by a gain.");
            var which = (await server.CallAsync("which", ("name", "proj_scale"))).StructuredContent!.Value;
            await Assert.That(which.GetProperty("path").GetString()).EndsWith("/lib/proj_scale.m").Because("it stays on the session's path");
            await Assert.That(which.TryGetProperty("in_session", out _)).IsFalse();
            var found = await server.CallAsync("find_functions", ("keyword", "gain"), ("project_path", lib));
            await Assert.That(Text(found)).Contains("proj_scale - Scales a signal by a gain.");

            var outside = await server.CallAsync("get_help", ("name", "sum"), ("project_path", "/usr/share"));
            await Assert.That(outside.IsError).IsTrue();
            await Assert.That(Text(outside)).Contains("project_path");
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }
}
