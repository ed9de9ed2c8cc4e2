namespace MatlabMcp.Configuration;

/// <summary>Every setting of the server, one object per config.yaml section.</summary>
internal sealed class AppConfig
{
    public EngineOptions Engine { get; } = new();
    public ExecutionOptions Execution { get; } = new();
    public OutputOptions Output { get; } = new();

    /// <summary>The sections in the order they are documented.</summary>
    public IReadOnlyList<object> Sections => [Engine, Execution, Output];

    public IEnumerable<string> Validate() =>
        Engine.Validate().Concat(Execution.Validate()).Concat(Output.Validate());
}
