using MatlabMcp.Tests.Support;

// Every test drives real Octave engines or server processes, and CI machines have two cores: at most two tests
// run at once (as the xunit suite ran two collections at a time), so timeouts measure the code, not the queue.
// Tests that need a quiet machine (interrupts, escalation, the sandbox's process budgets, a fresh publish)
// carry [NotInParallel] without a key: each of them runs with nothing else beside it.
[assembly: ParallelLimiter<TwoAtATime>]

namespace MatlabMcp.Tests.Support;

/// <summary>The suite's parallelism: two tests at a time.</summary>
public sealed class TwoAtATime : IParallelLimit
{
    public int Limit => 2;
}
