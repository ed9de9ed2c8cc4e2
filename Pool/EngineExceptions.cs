namespace MatlabMcp.Pool;

/// <summary>The engine process ended (crash, exit/quit in user code, kill): its workspace is gone.</summary>
internal sealed class EngineDiedException(string reason) : Exception(reason);

/// <summary>An engine could not be started; the message says what to check.</summary>
internal sealed class EngineStartException(string message) : Exception(message);
