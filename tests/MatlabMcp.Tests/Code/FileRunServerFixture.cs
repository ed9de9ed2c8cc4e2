using System.Text;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Code;

/// <summary>
/// One real stdio server (real Octave, the official C# SDK client) with a project folder (execution.project_folders), a work
/// root the tests can look into (to plant a link in a session folder), and execution.max_code_chars at 20,000.
/// </summary>
public sealed class FileRunServerFixture : IAsyncInitializer, IAsyncDisposable
{
    public const string Key = "file-run-server";
    public const int MaxCodeChars = 20_000;
    private const UnixFileMode Open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public McpClient Client { get; private set; } = null!;
    public string Project { get; } = Directory.CreateTempSubdirectory("mcp-runfile-project-").FullName;
    public string WorkRoot { get; } = Directory.CreateTempSubdirectory("mcp-runfile-work-").FullName;
    public string Outside { get; } = Directory.CreateTempSubdirectory("mcp-runfile-outside-").FullName;

    public async Task InitializeAsync()
    {
        // Engines run as other users: the project must be readable by them, as a real project folder is.
        File.SetUnixFileMode(Project, Open);
        File.SetUnixFileMode(WorkRoot, Open);
        Write("analysis.m", """
            % ANALYSIS  Fit a line to data and plot it.
            %% Load data
            x = (1:5)';
            y = 2 * x + 1;
            %% Fit
            [slope, intercept] = fit_line(x, y);
            printf('slope %.2f\n', slope);
            %% Plot
            plot(x, y, 'o');
            %% Broken
            z = x + undefined_offset;
            """);
        Write("fit_line.m", """
            function [slope, intercept] = fit_line(x, y)
            % FIT_LINE  Least-squares line through (x, y).
              p = [x(:), ones(numel(x), 1)] \ y(:);
              slope = p(1);
              intercept = p(2);
            end
            """);
        Write("broken_script.m", "a = 1;\nb = 2;\n\nc = a + not_defined_here;\n");
        Write("plotter.m", "figure_made = true;\nplot(1:10, (1:10).^2);\n");
        Write("takes_args.m", "function n = takes_args(x)\n  n = x;\nend\n");
        Write("shadow_me.m", "function y = shadow_me()\n  y = 1;\nend\n");
        Write("lib/lib_triple.m", "function y = lib_triple(x)\n  y = 3 * x;\nend\n");
        File.WriteAllText(Path.Combine(Outside, "secret.m"), "secret_token = 'hunter2';\n");
        Client = await ServerProcess.ConnectStdioAsync(environment: new Dictionary<string, string?>
        {
            ["MATLAB_MCP_EXECUTION__PROJECT_FOLDERS"] = Project,
            ["MATLAB_MCP_EXECUTION__MAX_CODE_CHARS"] = $"{MaxCodeChars}",
            ["MATLAB_MCP_ENGINE__WORK_ROOT"] = WorkRoot,
        }, clientOptions: new McpClientOptions { ProtocolVersion = "2025-11-25", DiscoverProbeTimeout = ServerProcess.DiscoverProbe });
    }

    public Task<CallToolResult> CallAsync(string tool, params (string Name, object? Value)[] args) =>
        Client.CallToolAsync(tool, ServerProcess.Args(args)).AsTask();

    public static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    public string ProjectFile(string name) => Path.Combine(Project, name);

    public async Task UploadAsync(string path, string text)
    {
        var result = await CallAsync("upload_file", ("path", path), ("content_base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(text))));
        await Assert.That(result.IsError).IsNotEqualTo(true).Because(Text(result));
    }

    /// <summary>The host folder of the caller's session "main" (found by a file uploaded into it).</summary>
    public async Task<string> SessionFolderAsync()
    {
        await UploadAsync("where_am_i.txt", "here");
        return Path.GetDirectoryName(Directory.EnumerateFiles(WorkRoot, "where_am_i.txt", SearchOption.AllDirectories).Single())!;
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Project, relative);
        if (Path.GetDirectoryName(path) is { } folder && folder != Project)
        {
            Directory.CreateDirectory(folder);
            File.SetUnixFileMode(folder, Open);
        }
        File.WriteAllText(path, text + (text.EndsWith('\n') ? "" : "\n"));
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        foreach (var folder in new[] { Project, WorkRoot, Outside })
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
    }
}
