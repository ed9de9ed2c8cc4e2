using System.Text.Json.Serialization;

namespace MatlabMcp.Endpoints.Http;

/// <summary>Bodies of the plain HTTP routes (health, refusals), generated at compile time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(HttpProblem))]
internal sealed partial class HttpJson : JsonSerializerContext;

/// <summary>What <c>GET /health</c> answers, without authentication: nothing here is secret.</summary>
internal sealed record HealthReport(string Status, string Engine, string Version, string Transport, string Sandbox);

/// <summary>A refusal the HTTP layer gives before MCP is involved (origin, auth).</summary>
internal sealed record HttpProblem(string Error, string Message);
