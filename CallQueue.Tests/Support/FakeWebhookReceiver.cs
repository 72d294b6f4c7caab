using System.Collections.Concurrent;
using CallQueue.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallQueue.Tests.Support;

/// <summary>
/// A backend's webhook endpoint for delivery tests: a real ASP.NET Core app on a free loopback port that records every
/// POST (any path) and answers as <see cref="Reply"/> says (200 unless set).
/// </summary>
public sealed class FakeWebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private WebApplication? _app;

    private FakeWebhookReceiver()
    {
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The endpoint events are sent to: <see cref="BaseUrl"/> + <c>/hooks</c>.</summary>
    public string Url => BaseUrl + "/hooks";

    /// <summary>What each POST is answered with; set before sending.</summary>
    public Func<ReceivedWebhook, WebhookReply> Reply { get; set; } = _ => WebhookReply.Ok;

    /// <summary>Every POST received, oldest first.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<FakeWebhookReceiver> StartAsync()
    {
        // A free port can be taken between finding and binding it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var receiver = new FakeWebhookReceiver();
            try
            {
                await receiver.StartOnAsync(FreePort.Next());
                return receiver;
            }
            catch (IOException) when (attempt < 3)
            {
                await receiver.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task StartOnAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        _app = app;
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(header => header.Key.ToLowerInvariant(), header => header.Value.ToString(), StringComparer.Ordinal);
            var received = new ReceivedWebhook(context.Request.Path, headers, body);
            _received.Enqueue(received);
            var reply = Reply(received);
            if (reply.Hang)
            {
                // Until the sender gives up and closes the connection.
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            context.Response.StatusCode = reply.StatusCode;
        });
        BaseUrl = $"http://127.0.0.1:{port}";
        await app.StartAsync();
    }
}
