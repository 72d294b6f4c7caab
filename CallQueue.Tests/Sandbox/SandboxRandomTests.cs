using CallQueue.Api.Sandbox;

namespace CallQueue.Tests.Sandbox;

[TestFixture]
public sealed class SandboxRandomTests
{
    [Test]
    public void PickOutcome_SameSeed_SameSequence()
    {
        var first = new SandboxRandom(new PlivoSandboxOptions { Seed = 7 });
        var second = new SandboxRandom(new PlivoSandboxOptions { Seed = 7 });

        var a = Enumerable.Range(0, 50).Select(_ => first.PickOutcome()).ToList();
        var b = Enumerable.Range(0, 50).Select(_ => second.PickOutcome()).ToList();

        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public void PickOutcome_DefaultRatios_ProducesEachOutcomeRoughlyInProportion()
    {
        var random = new SandboxRandom(new PlivoSandboxOptions { Seed = 1 });

        var counts = Enumerable.Range(0, 10_000).Select(_ => random.PickOutcome()).GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());

        Assert.Multiple(() =>
        {
            Assert.That(counts[SandboxOutcome.Answered], Is.InRange(7_500, 8_500));
            Assert.That(counts[SandboxOutcome.Busy], Is.InRange(700, 1_300));
            Assert.That(counts[SandboxOutcome.NoAnswer], Is.InRange(700, 1_300));
        });
    }

    [Test]
    public void PickOutcome_OnlyBusyWeight_AlwaysBusy()
    {
        var random = new SandboxRandom(new PlivoSandboxOptions { AnswerRatio = 0, BusyRatio = 1, NoAnswerRatio = 0 });

        Assert.That(Enumerable.Range(0, 100).Select(_ => random.PickOutcome()), Is.All.EqualTo(SandboxOutcome.Busy));
    }

    [Test]
    public void ShouldFault_RateZeroOrOne_NeverOrAlways()
    {
        var never = new SandboxRandom(new PlivoSandboxOptions { FaultRate = 0 });
        var always = new SandboxRandom(new PlivoSandboxOptions { FaultRate = 1 });

        Assert.Multiple(() =>
        {
            Assert.That(Enumerable.Range(0, 100).Any(_ => never.ShouldFault()), Is.False);
            Assert.That(Enumerable.Range(0, 100).All(_ => always.ShouldFault()), Is.True);
        });
    }
}
