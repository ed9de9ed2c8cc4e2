using System.Text.Json;
using MatlabMcp.Endpoints;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using TUnit.Core.Interfaces;

namespace MatlabMcp.Tests.Variables;

/// <summary>
/// One real Octave whose session folder holds a classdef, an old-style class and a function that leaves a marker
/// file when it runs, and whose workspace holds a variable of every class get_variable encodes.
/// </summary>
public sealed class VariableFixture : IAsyncInitializer, IAsyncDisposable
{
    internal const string Setup = """
        dbl = 2.5; row = [1 2 3]; col = [4; 5; 6]; mat = [1 2 3; 4 5 6]; cube = reshape(1:24, 2, 3, 4);
        special = [NaN Inf -Inf 0.1 1/3 123456789012 -0];
        z = 3 + 4i; zv = [1+2i, 3-4i];
        i8 = int8([-128 127]); u8 = uint8([0 255]); i16 = int16([-32768 32767]); u16 = uint16([0 65535]);
        i32 = int32([-2147483648 2147483647]); u32 = uint32([0 4294967295]);
        i64 = [intmin('int64'), intmax('int64'), int64(42), int64(2)^53, int64(2)^53 + 1];
        u64 = [intmax('uint64'), uint64(7)];
        sgl = single([0.1 1/3 NaN -Inf]);
        yes = true; flags = [true false true];
        txt = 'say "hi" \ there'; rows2 = ['ab'; 'cd'];
        c = {1, 'two', [3 4]}; nested = {1, {2, {3}}};
        s = struct('a', 1, 'b', 'x'); sa = struct('v', {1, 2, 3}); ns = struct('outer', struct('inner', {{1, 'deep'}}));
        fh = @(x) x.^2 + 1; named = @sin;
        sp = sparse([1 3], [2 2], [5 6], 4, 4); spz = sparse([1 2], [1 1], [1+2i, 3]); spl = sparse(logical(eye(2)));
        m = containers.Map({'alpha', 'beta'}, {1, 'b'});
        em = []; es = ''; ec = {}; est = struct(); ez = zeros(0, 3);
        big = (1:1e6)'; wide = reshape(1:20000, 100, 200);
        lots = struct('c', {num2cell(1:1e6)});
        deep = {1}; for k = 1:30, deep = {deep}; end
        deeps = repmat({deep}, 1, 30);
        long = repmat('x', 1, 1e6);
        pt = VarPoint(); old = VarOld();
        ctl = ['a', char(27), '[31mred'];
        utf = 'héllo 😀'; badbytes = char([104 200 105 237 160 128 226 130]);
        clear ans
        """;

    private EngineHarness? _engine;

    internal EngineHarness Engine => _engine ?? throw new InvalidOperationException("not started");

    internal WorkspaceTools Tools => new(Engine.Sessions, Engine.Results, Options.Create(Engine.Config.Output));

    internal string Folder { get; private set; } = "";

    /// <summary>The names defined by <see cref="Setup"/> (and nothing else).</summary>
    internal static readonly string[] Names =
    [
        "dbl", "row", "col", "mat", "cube", "special", "z", "zv", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64",
        "sgl", "yes", "flags", "txt", "rows2", "c", "nested", "s", "sa", "ns", "fh", "named", "sp", "m", "em", "es", "ec",
        "est", "ez", "big", "wide", "lots", "deep", "k", "long", "pt", "old", "ctl", "utf", "badbytes", "spz", "spl", "deeps",
    ];

    public async Task InitializeAsync()
    {
        _engine = new EngineHarness();
        var session = await Engine.SessionAsync();
        Folder = session.Folder;
        File.WriteAllText(Path.Combine(Folder, "VarPoint.m"), """
            classdef VarPoint
              properties
                x = 1;
                label = 'p';
              end
              properties (Access = private)
                secret = 42;
              end
            end
            """);
        Directory.CreateDirectory(Path.Combine(Folder, "@VarOld"));
        File.WriteAllText(Path.Combine(Folder, "@VarOld", "VarOld.m"), """
            function o = VarOld()
              o = class(struct('a', 1, 'b', 'two'), 'VarOld');
            end
            """);
        // Leaves a marker when called: get_variable must never call it.
        File.WriteAllText(Path.Combine(Folder, "leave_marker.m"), """
            function y = leave_marker()
              fid = fopen('marker.txt', 'w'); fprintf(fid, 'called'); fclose(fid); y = 1;
            end
            """);
        // clear ans: the engine's start leaves one (mcp_session_roots' answer); these tests show get_variable makes none.
        var outcome = await Engine.RunAsync(Setup, timeoutSeconds: 120);
        if (outcome.Status != JobState.Completed)
            throw new InvalidOperationException($"setup failed: {outcome.Status} {outcome.Message} {outcome.Error?.Message} {outcome.Output}");
    }

    internal string MarkerPath => Path.Combine(Folder, "marker.txt");

    /// <summary>get_variable as the tool runs it.</summary>
    internal Task<CallToolResult> GetAsync(string? name, int? maxElements = null) =>
        Tools.ReadVariableAsync("local", null, name, maxElements, TimeSpan.FromSeconds(60), CancellationToken.None);

    /// <summary>The value of a variable that must be readable.</summary>
    internal async Task<JsonElement> ValueAsync(string name, int? maxElements = null)
    {
        var report = await ReportAsync(name, maxElements);
        return report.GetProperty("value");
    }

    internal async Task<JsonElement> ReportAsync(string name, int? maxElements = null)
    {
        var result = await GetAsync(name, maxElements);
        if (result.IsError == true || result.StructuredContent is not { } structured)
            throw new InvalidOperationException($"get_variable {name}: {Text(result)}");
        return structured;
    }

    internal static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
            await _engine.DisposeAsync();
    }
}
