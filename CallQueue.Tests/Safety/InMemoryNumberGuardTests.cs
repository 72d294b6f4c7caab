using CallQueue.Jobs.Safety;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Safety;

/// <summary>The <see cref="NumberGuardContract"/> on <see cref="InMemoryNumberGuard"/>.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable]
public sealed class InMemoryNumberGuardTests : NumberGuardContract
{
    protected override Task<(INumberGuard Guard, IDoNotCallList DoNotCall)> CreateAsync()
    {
        var list = new InMemoryDoNotCallList();
        return Task.FromResult<(INumberGuard, IDoNotCallList)>((new InMemoryNumberGuard(list, new FakeTimeProvider(DateTimeOffset.UtcNow)), list));
    }
}
