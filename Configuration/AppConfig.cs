namespace MatlabMcp.Configuration;

/// <summary>Every setting of the server, one object per config.yaml section.</summary>
internal sealed class AppConfig
{
    public EngineOptions Engine { get; } = new();
    public ExecutionOptions Execution { get; } = new();
    public OutputOptions Output { get; } = new();
    public PoolOptions Pool { get; } = new();
    public SessionOptions Sessions { get; } = new();
    public JobOptions Jobs { get; } = new();
    public SandboxOptions Sandbox { get; } = new();
    public CodePolicyOptions CodePolicy { get; } = new();
    public ApprovalOptions Approval { get; } = new();
    public AuditOptions Audit { get; } = new();
    public ServerOptions Server { get; } = new();
    public AuthOptions Auth { get; } = new();

    /// <summary>The config file this was read from, if any (hidden from engines).</summary>
    public string? SourcePath { get; set; }

    /// <summary>
    /// The sections in the order they are documented: the one list that loading, validation and registration
    /// (<see cref="ConfigServices.AddMatlabOptions"/>) walk.
    /// </summary>
    public IReadOnlyList<IConfigSection> Sections =>
        [Engine, Execution, Output, Pool, Sessions, Jobs, Sandbox, CodePolicy, Approval, Audit, Server, Auth];

    public IEnumerable<string> Validate() => Sections.SelectMany(s => s.Validate());
}
