using System.Net.Sockets;
using CallQueue.Api.Errors;
using Hangfire;
using Pipelines.Sockets.Unofficial;
using StackExchange.Redis;

namespace CallQueue.Tests.Errors;

/// <summary>What counts as Redis being unreachable (a 503 the client may retry), and what stays a failure of its own.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallQueueExceptionHandlerTests
{
    private static IEnumerable<TestCaseData> Outages()
    {
        yield return new TestCaseData(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection")).SetName("RedisConnectionException");
        yield return new TestCaseData(new RedisTimeoutException("Timeout", CommandStatus.WaitingToBeSent)).SetName("RedisTimeoutException");
        yield return new TestCaseData(new TaskCanceledException("A task was canceled")).SetName("CancelledByTheDroppedConnection");

        // Redis' socket reset mid-command under load: StackExchange.Redis fails the command with its pipelines' exception.
        var reset = new ConnectionResetException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset));
        yield return new TestCaseData(reset).SetName("ConnectionResetException");
        yield return new TestCaseData(new BackgroundJobClientException("Background job creation failed.", reset)).SetName("ConnectionResetInsideHangfire");
    }

    [TestCaseSource(nameof(Outages))]
    public void IsStorageOutage_RedisUnreachable_IsAnOutage(Exception exception) =>
        Assert.That(CallQueueExceptionHandler.IsStorageOutage(exception, CancellationToken.None), Is.True);

    [Test]
    public void IsStorageOutage_TheClientLeft_IsNotAnOutage() =>
        Assert.That(CallQueueExceptionHandler.IsStorageOutage(new TaskCanceledException(), new CancellationToken(canceled: true)), Is.False);

    [Test]
    public void IsStorageOutage_AnythingElse_IsNotAnOutage() =>
        Assert.That(CallQueueExceptionHandler.IsStorageOutage(new InvalidOperationException("a bug"), CancellationToken.None), Is.False);
}
