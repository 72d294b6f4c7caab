using CallQueue.Jobs.Safety;

namespace CallQueue.Tests.Safety;

/// <summary>The <see cref="DoNotCallListContract"/> on <see cref="InMemoryDoNotCallList"/>.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable]
public sealed class InMemoryDoNotCallListTests : DoNotCallListContract
{
    protected override Task<IDoNotCallList> CreateListAsync() => Task.FromResult<IDoNotCallList>(new InMemoryDoNotCallList());
}
