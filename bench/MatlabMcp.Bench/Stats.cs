namespace MatlabMcp.Bench;

/// <summary>Latency percentiles of one measured series.</summary>
internal sealed record Stats(string Name, int Count, double P50Ms, double P95Ms, double MeanMs)
{
    public static Stats Of(string name, List<double> samplesMs)
    {
        var sorted = samplesMs.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Stats(name, sorted.Length, At(0.50), At(0.95), sorted.Average());
    }

    public override string ToString() => $"{Name,-44} n={Count,-6} p50={P50Ms,9:0.000} ms  p95={P95Ms,9:0.000} ms  mean={MeanMs,9:0.000} ms";
}
