using System.Net;
using System.Text;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.EndToEnd;
using CallQueue.Tests.Support;
using Hangfire;
using Hangfire.Storage;

namespace CallQueue.Tests.Operators;

/// <summary>Calls for operator tests: queue them, wait for their job, count what the sandbox was asked to dial.</summary>
internal static class OperatorTestCalls
{
    public static string Body(string phone, string campaign, int maxRetries = 0, string? extra = null) =>
        $$"""
        {
          {{(extra is null ? string.Empty : extra + ",")}}
          "phone_number": "{{phone}}", "campaign_id": "{{campaign}}", "max_retries": {{maxRetries}},
          "call_config": { "flow_name": "operators", "answer_url": "https://agent.example.com/answer" }
        }
        """;

    public static Task<string> QueueAsync(CallQueueApp app, string phone, string campaign, int maxRetries = 0, string? extra = null) =>
        DialingEndToEndTests.QueueAsync(app, Body(phone, campaign, maxRetries, extra));

    /// <summary>A call that was dialed once, was busy, and failed (max_retries 0); its job is in Failed.</summary>
    public static async Task<CallRecord> FailedCallAsync(CallQueueApp app, string phone, string campaign)
    {
        var sandbox = app.Service<PlivoSandbox>();
        sandbox.SetNumberScript(phone, new SandboxNumberScript(SandboxOutcome.Busy));
        var callId = await QueueAsync(app, phone, campaign);
        var call = await app.WaitForCallAsync(callId, c => c.Status == CallStatus.Failed);
        await WaitForJobStateAsync(app, call.JobId!, "Failed");
        sandbox.ClearNumberScript(phone);
        return call;
    }

    /// <summary>A call that was answered and completed; its job is in Succeeded.</summary>
    public static async Task<CallRecord> CompletedCallAsync(CallQueueApp app, string phone, string campaign)
    {
        var callId = await QueueAsync(app, phone, campaign);
        var call = await app.WaitForCallAsync(callId, c => c.Status == CallStatus.Completed);
        await WaitForJobStateAsync(app, call.JobId!, "Succeeded");
        return call;
    }

    /// <summary>A call scheduled for later and cancelled before it was dialed; its job is in Deleted.</summary>
    public static async Task<CallRecord> CancelledCallAsync(CallQueueApp app, string phone, string campaign)
    {
        var callId = await QueueAsync(app, phone, campaign, extra: $"\"scheduled_at\": \"{DateTimeOffset.UtcNow.AddHours(2):O}\"");
        using var client = app.Client();
        using var response = await client.DeleteAsync(new Uri($"/api/calls/{callId}", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var call = await app.WaitForCallAsync(callId, c => c.Status == CallStatus.Cancelled);
        await WaitForJobStateAsync(app, call.JobId!, "Deleted");
        return call;
    }

    public static int DialsTo(CallQueueApp app, string phone) =>
        app.Service<PlivoSandbox>().GetRequests().Count(r => r.Fields.GetValueOrDefault("to") == phone);

    public static StateData? JobState(CallQueueApp app, string jobId)
    {
        using var connection = app.Service<JobStorage>().GetConnection();
        return connection.GetStateData(jobId);
    }

    public static async Task WaitForJobStateAsync(CallQueueApp app, string jobId, string state, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (JobState(app, jobId)?.Name != state && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.That(JobState(app, jobId)?.Name, Is.EqualTo(state), $"job {jobId}");
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(CallQueueApp app, string path, string? json = null)
    {
        using var client = app.Client();
        using var content = new StringContent(json ?? string.Empty, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text));
    }

    public static CallRecord ToCall(JsonElement body) => body.Deserialize<CallRecord>(CallQueueApp.Json)!;
}
