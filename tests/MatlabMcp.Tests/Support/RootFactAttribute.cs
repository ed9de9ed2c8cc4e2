namespace MatlabMcp.Tests.Support;

/// <summary>A test that needs the suite to run as root (CI does): skipped, saying why, otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(string why)
    {
        if (!Environment.IsPrivilegedProcess)
            Skip = $"needs root: {why}";
    }
}
