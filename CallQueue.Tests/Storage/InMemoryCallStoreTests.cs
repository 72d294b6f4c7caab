using CallQueue.Jobs.Storage;

namespace CallQueue.Tests.Storage;

/// <summary>The <see cref="CallStoreContract"/> on <see cref="InMemoryCallStore"/>: in-process only.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable]
public sealed class InMemoryCallStoreTests : CallStoreContract
{
    protected override Task<ICallStore> CreateStoreAsync(TimeProvider clock) => Task.FromResult<ICallStore>(new InMemoryCallStore(clock));

    protected override Task<ICallStore> ConnectAnotherProcessAsync() => Task.FromResult(Store);
}
