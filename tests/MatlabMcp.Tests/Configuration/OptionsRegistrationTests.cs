using MatlabMcp.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Tests.Configuration;

/// <summary>Each section is served as <c>IOptions&lt;T&gt;</c> from the one AppConfig, and checked when the host starts.</summary>
public sealed class OptionsRegistrationTests
{
    [Test]
    public async Task EverySection_IsServedAsTheInstanceTheConfigHolds()
    {
        var config = new AppConfig();
        config.Pool.SpareEngines = 0; // changed in code after loading, as tests do
        using var services = new ServiceCollection().AddMatlabOptions(config).BuildServiceProvider();

        await Assert.That(services.GetRequiredService<IOptions<PoolOptions>>().Value).IsSameReferenceAs(config.Pool);
        await Assert.That(services.GetRequiredService<IOptions<EngineOptions>>().Value).IsSameReferenceAs(config.Engine);
        await Assert.That(services.GetRequiredService<IOptions<AuthOptions>>().Value).IsSameReferenceAs(config.Auth);
        await Assert.That(services.GetRequiredService<IOptionsMonitor<ServerOptions>>().CurrentValue).IsSameReferenceAs(config.Server);
        await Assert.That(services.GetRequiredService<AppConfig>()).IsSameReferenceAs(config);
    }

    [Test]
    public async Task InvalidSection_StopsTheHostAtStart_WithTheLoadersMessage()
    {
        var config = new AppConfig();
        config.Pool.MinEngines = -1;
        config.Sessions.IdleTimeoutSeconds = 0;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMatlabOptions(config);
        using var host = builder.Build();

        // Two sections fail: the host reports both (an AggregateException of one OptionsValidationException each).
        var error = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync());

        await Assert.That(error!.Message).Contains("pool.min_engines must be 0 or more.");
        await Assert.That(error.Message).Contains("sessions.idle_timeout must be a positive number of seconds.");
    }
}
