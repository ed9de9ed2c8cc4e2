namespace MatlabMcp.Tests.Support;

/// <summary>A test that needs the suite to run as root (CI does): skipped, saying why, otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootOnlyAttribute(string why) : SkipAttribute($"needs root: {why}")
{
    public override Task<bool> ShouldSkip(TestRegisteredContext context) => Task.FromResult(!Environment.IsPrivilegedProcess);
}
