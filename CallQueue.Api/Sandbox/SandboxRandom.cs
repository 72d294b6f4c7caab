namespace CallQueue.Api.Sandbox;

/// <summary>Random outcome and fault choice, seedable (SANDBOX_SEED) so a run can be replayed.</summary>
internal sealed class SandboxRandom(PlivoSandboxOptions options)
{
    private readonly Lock _gate = new();

#pragma warning disable CA5394 // Simulation, not security: a seedable System.Random is the point.
    private readonly Random _random = options.Seed is int seed ? new Random(seed) : new Random();

    public SandboxOutcome PickOutcome()
    {
        var total = options.AnswerRatio + options.BusyRatio + options.NoAnswerRatio;
        if (total <= 0)
        {
            return SandboxOutcome.Answered;
        }

        var roll = NextDouble() * total;
        return roll < options.AnswerRatio ? SandboxOutcome.Answered
            : roll < options.AnswerRatio + options.BusyRatio ? SandboxOutcome.Busy
            : SandboxOutcome.NoAnswer;
    }

    public bool ShouldFault() => options.FaultRate > 0 && NextDouble() < options.FaultRate;

    private double NextDouble()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }
#pragma warning restore CA5394
}
