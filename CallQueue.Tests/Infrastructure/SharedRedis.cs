using CallQueue.Tests.Infrastructure;

// In the root test namespace, so this set-up fixture wraps every test in the assembly.
namespace CallQueue.Tests;

/// <summary>
/// One redis-server for the whole test run, started on first use of <see cref="Server"/> (tests that never touch
/// Redis never start it) and stopped when the run ends. Tests share it, so each one isolates itself with its own key
/// prefix (<see cref="NewKeyPrefix"/>) and never stops or flushes it; a test that takes Redis down starts its own
/// <see cref="RedisServer"/>.
/// </summary>
[SetUpFixture]
public sealed class SharedRedis
{
    private static readonly Lock Gate = new();
    private static RedisServer? _server;

    /// <summary>The shared server, started on first use. Fails (never skips) the calling test when redis-server is missing.</summary>
    public static RedisServer Server
    {
        get
        {
            lock (Gate)
            {
                // A failed start is not remembered: the next test tries again and reports its own failure.
                return _server ??= RedisServer.StartNewAsync().GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>A key prefix no other test uses, e.g. <c>test:3f2a…:</c>.</summary>
    public static string NewKeyPrefix() => $"test:{Guid.NewGuid():N}:";

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        RedisServer? server;
        lock (Gate)
        {
            server = _server;
            _server = null;
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
