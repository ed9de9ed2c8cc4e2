using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Configuration;

/// <summary>
/// One config.yaml section (named on its <see cref="AppConfig"/> property): what is wrong with its values, and its
/// registration as options.
/// </summary>
internal interface IConfigSection
{
    /// <summary>What is wrong with the values, each message naming its key; the loader and the start-up check both use it.</summary>
    IEnumerable<string> Validate();

    /// <summary>Registers this very instance as <c>IOptions</c> of its type, validated when the host starts.</summary>
    void Register(IServiceCollection services);
}

/// <summary>A section served as <c>IOptions&lt;TSelf&gt;</c>: declaring it is all a new section needs to be registered.</summary>
internal interface IConfigSection<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TSelf>
    : IConfigSection where TSelf : class, IConfigSection<TSelf>
{
    void IConfigSection.Register(IServiceCollection services)
    {
        var section = (TSelf)this;
        services.AddSingleton<IValidateOptions<TSelf>, SectionValidator<TSelf>>();
        // The loaded (or test-built) instance itself, not a fresh one: tests change sections in code before building services.
        services.AddSingleton<IOptionsFactory<TSelf>>(s => new SectionFactory<TSelf>(section, s.GetServices<IConfigureOptions<TSelf>>(),
            s.GetServices<IPostConfigureOptions<TSelf>>(), s.GetServices<IValidateOptions<TSelf>>()));
        services.AddOptions<TSelf>().ValidateOnStart();
    }
}

/// <summary>Runs a section's own checks, the ones the loader reports at load time, when the host starts.</summary>
internal sealed class SectionValidator<T> : IValidateOptions<T> where T : class, IConfigSection
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        options.Validate().ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
}

/// <summary>Hands out the given section through the standard options pipeline, so its validators still run.</summary>
internal sealed class SectionFactory<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(
    T section, IEnumerable<IConfigureOptions<T>> setups, IEnumerable<IPostConfigureOptions<T>> postConfigures,
    IEnumerable<IValidateOptions<T>> validations) : OptionsFactory<T>(setups, postConfigures, validations) where T : class
{
    protected override T CreateInstance(string name) => section;
}

internal static class ConfigServices
{
    /// <summary>
    /// Every section as <c>IOptions&lt;T&gt;</c>, from the one section list, plus the whole <see cref="AppConfig"/> for
    /// the classes that still take it.
    /// </summary>
    public static IServiceCollection AddMatlabOptions(this IServiceCollection services, AppConfig config)
    {
        services.AddSingleton(config);
        foreach (var section in config.Sections())
            section.Register(services);
        return services;
    }
}
