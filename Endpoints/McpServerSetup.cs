using MatlabMcp.Configuration;
using MatlabMcp.Endpoints.Apps;
using MatlabMcp.Endpoints.CustomTools;
using MatlabMcp.Endpoints.Guidance;
using MatlabMcp.Execution;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Endpoints;

internal static class McpServerSetup
{
    public const string ServerName = "matlab-mcp";

    /// <summary>
    /// Everything the server is, for either transport: engines, execution, jobs, audit, approval, result shaping, the
    /// shutdown drain and the MCP tools. The caller adds the transport. Tests build their services from this too.
    /// </summary>
    public static IMcpServerBuilder AddMatlabMcp(this IServiceCollection services, AppConfig config, EngineSandbox sandbox)
    {
        services.AddEngines(config, sandbox);
        // SIGTERM drains running calls before anything stops (see DrainingLifetime).
        services.AddSingleton<IHostLifetime, DrainingLifetime>();
        return services.AddMatlabTools(config).WithCustomTools(config.CustomTools);
    }

    /// <summary>Engines, execution and result shaping: the parts every transport shares.</summary>
    private static IServiceCollection AddEngines(this IServiceCollection services, AppConfig config, EngineSandbox sandbox)
    {
        services.AddMatlabOptions(config);
        services.AddSingleton(sandbox);
        // A test harness registers its own clock first.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EngineFactory>();
        services.AddSingleton<EnginePool>();
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<CodePolicy>();
        services.AddSingleton<CodePaths>();
        services.AddSingleton<CodeExecutor>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobManager>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ApprovalPolicy>();
        services.AddSingleton<ApprovalGate>();
        services.AddSingleton<ExecutionService>();
        services.AddSingleton<ReportBuilder>();
        services.AddSingleton<ResultBuilder>();
        services.AddSingleton<JobResultBuilder>();
        services.AddSingleton<CodeRunner>();
        services.AddSingleton<JobOutput>();
        services.AddHostedService<JobMaintenance>();
        services.AddHostedService<PoolMaintenance>();
        services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = config.Pool.DrainTimeout + TimeSpan.FromSeconds(10);
            // The MCP transport starts reading while job and pool maintenance start, not after them.
            o.ServicesStartConcurrently = true;
        });
        return services;
    }

    /// <summary>The MCP server and its tools, without a transport.</summary>
    private static IMcpServerBuilder AddMatlabTools(this IServiceCollection services, AppConfig config) =>
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation
                {
                    Name = ServerName,
                    Version = CommandLine.Version,
                };
                // Every service a tool takes is a singleton: a DI scope per request would be built and thrown away.
                options.ScopeRequests = false;
                options.ServerInstructions = Instructions.For(config);
            })
            .WithTools<CodeTools>(AppJson.ToolOptions)
            .WithTools<WorkspaceTools>(AppJson.ToolOptions)
            .WithTools<SessionTools>(AppJson.ToolOptions)
            .WithTools<JobTools>(AppJson.ToolOptions)
            .WithTools<AuditTools>(AppJson.ToolOptions)
            .WithTools<FileTools>(AppJson.ToolOptions)
            .WithTools<CheckTools>(AppJson.ToolOptions)
            .WithTools<HelpTools>(AppJson.ToolOptions)
            .WithTools<FileRunTools>(AppJson.ToolOptions)
            .WithTools<TestTools>(AppJson.ToolOptions)
            .WithPrompts<Prompts>(AppJson.ToolOptions)
            .WithGuideResources()
            .WithCompletions()
            .WithSessionResources()
            .WithFigureViewer();
}
