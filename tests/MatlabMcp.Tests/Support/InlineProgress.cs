using ModelContextProtocol;

namespace MatlabMcp.Tests.Support;

/// <summary>Reports on the notifying thread (Progress&lt;T&gt; would post to a context and lose ordering).</summary>
internal sealed class InlineProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
{
    public void Report(ProgressNotificationValue value) => report(value);
}
