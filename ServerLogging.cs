using Microsoft.Extensions.Logging;

namespace MatlabMcp;

internal static class ServerLogging
{
    /// <summary>
    /// Every log line goes to stderr: on stdio, stdout carries protocol frames only; over HTTP, stderr is
    /// where journald and the tests already look.
    /// </summary>
    public static ILoggingBuilder AddServerLogging(this ILoggingBuilder logging, bool verbose)
    {
        logging.ClearProviders();
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        // The SDK and ASP.NET Core log every request at Information: per-call console logging costs more than the call itself.
        logging.AddFilter("ModelContextProtocol", verbose ? LogLevel.Debug : LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore", verbose ? LogLevel.Information : LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        // ASP.NET Core's auth base class logs each challenge at Information under the handler's own category;
        // the handler's one Warning per refusal says the same with the reason and the client address.
        logging.AddFilter(typeof(Endpoints.Http.BearerAuthenticationHandler).FullName, verbose ? LogLevel.Debug : LogLevel.Warning);
        return logging;
    }
}
