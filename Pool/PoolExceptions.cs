namespace MatlabMcp.Pool;

/// <summary>A limit was reached; the message says which and what to do. Expected, shown to the agent.</summary>
internal sealed class CapacityException(string message) : Exception(message);
