using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>
/// Every setting of the server, one object per config.yaml section, named as in config.yaml (and in
/// <c>MATLAB_MCP_SECTION__KEY</c>). <see cref="ConfigLoader"/> binds it; tests build and change it in code.
/// </summary>
internal sealed class AppConfig
{
    [ConfigurationKeyName("engine")] public EngineOptions Engine { get; } = new();
    [ConfigurationKeyName("execution")] public ExecutionOptions Execution { get; } = new();
    [ConfigurationKeyName("output")] public OutputOptions Output { get; } = new();
    [ConfigurationKeyName("pool")] public PoolOptions Pool { get; } = new();
    [ConfigurationKeyName("sessions")] public SessionOptions Sessions { get; } = new();
    [ConfigurationKeyName("jobs")] public JobOptions Jobs { get; } = new();
    [ConfigurationKeyName("sandbox")] public SandboxOptions Sandbox { get; } = new();
    [ConfigurationKeyName("code_policy")] public CodePolicyOptions CodePolicy { get; } = new();
    [ConfigurationKeyName("approval")] public ApprovalOptions Approval { get; } = new();
    [ConfigurationKeyName("audit")] public AuditOptions Audit { get; } = new();
    [ConfigurationKeyName("server")] public ServerOptions Server { get; } = new();
    [ConfigurationKeyName("auth")] public AuthOptions Auth { get; } = new();
    [ConfigurationKeyName("custom_tools")] public CustomToolsOptions CustomTools { get; } = new();

    /// <summary>The config file this was read from, if any (hidden from engines). Not a config key: the loader refuses keys outside sections.</summary>
    public string? SourcePath { get; set; }

    /// <summary>
    /// The sections in the order they are documented: the one list that validation and registration
    /// (<see cref="ConfigServices.AddMatlabOptions"/>) walk. A method, not a property: the binder would try to bind it.
    /// </summary>
    public IReadOnlyList<IConfigSection> Sections() =>
        [Engine, Execution, Output, Pool, Sessions, Jobs, Sandbox, CodePolicy, Approval, Audit, Server, Auth, CustomTools];

    public IEnumerable<string> Validate() => Sections().SelectMany(s => s.Validate());
}
