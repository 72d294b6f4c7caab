using CallQueue.Jobs.Audit;

namespace CallQueue.Tests.Audit;

/// <summary>The <see cref="AuditLogContract"/> on <see cref="InMemoryAuditLog"/>.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable]
public sealed class InMemoryAuditLogTests : AuditLogContract
{
    protected override Task<IAuditLog> CreateLogAsync() => Task.FromResult<IAuditLog>(new InMemoryAuditLog());
}
