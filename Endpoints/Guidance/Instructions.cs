using System.Globalization;
using System.Text;
using MatlabMcp.Configuration;

namespace MatlabMcp.Endpoints.Guidance;

/// <summary>
/// The MCP <c>instructions</c> text: what an agent must know before its first call, built from the configuration so the
/// numbers it quotes are the ones in force. Kept under ~1,500 characters: clients put it in every conversation.
/// </summary>
internal static class Instructions
{
    public static string For(AppConfig config)
    {
        var octave = config.Engine.Kind == EngineKind.Octave;
        var text = new StringBuilder();
        var outputChars = config.Output.MaxOutputChars.ToString("N0", CultureInfo.InvariantCulture);
        text.Append(
            $"Runs {(octave ? "GNU Octave 7" : "MATLAB")} code in persistent sessions: variables survive between execute_code calls. " +
            "'session' names an independent workspace (default main) with its own folder, the working folder: use relative paths; " +
            "upload_file, list_files, read_file, read_data. " +
            $"Sessions end after {Duration(config.Sessions.IdleTimeoutSeconds)} idle. " +
            $"Code still running after {Duration(config.Execution.SyncTimeoutSeconds)} becomes a job (job_id): get_job_status, " +
            "get_job_result, cancel_job; a time limit or cancel interrupts it and keeps the workspace. " +
            "In long loops call mcp_progress(fraction, 'message'). " +
            "Figures left open are returned as PNG and closed (figure_format: svg, plotly, none). " +
            $"Output is cut at {outputChars} characters (head and tail kept, the full text in a linked file; " +
            "get_job_result offset reads on): print summaries, end statements with ';'. ");
        if (config.CodePolicy.Enabled)
            text.Append("Code is checked before it runs: shell, eval, Python/Java and network calls are refused with an alternative " +
                $"({GuideResources.BlockedUri}). ");
        text.Append("No input, keyboard, pause() or debugger. " +
            "Look things up with get_help (your own .m files too), which, find_functions, list_toolboxes. ");
        text.Append(octave
            ? "Octave 7 is not MATLAB: no string arrays (\"...\" is char), table, datetime, contains or arguments blocks; " +
              "loops are slow, vectorise; tests are %!test blocks run by test('file.m'). "
            : "Toolboxes are licensed: check list_toolboxes before using one. ");
        text.Append($"Coding guide: {GuideResources.GuideUri}.");
        return text.ToString();
    }

    private static string Duration(double seconds) => seconds switch
    {
        >= 3600 when seconds % 3600 == 0 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0} h"),
        >= 60 when seconds % 60 == 0 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.#} s"),
    };
}
