using System.Text;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Api;
using CallQueue.Tests.EndToEnd;
using CallQueue.Tests.Operators;
using CallQueue.Tests.Support;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using StackExchange.Redis;

namespace CallQueue.Tests.Dialing;

/// <summary>
/// The dial job's stored form (issue 15), on the real app, real Hangfire and a real redis-server: a queued call's job is
/// <see cref="DialCallJob.DialAsync"/> with the call id alone, and its Redis hash keeps Redis's compact listpack
/// encoding; it dials under its own job on a real worker; and a job stored before, with
/// <see cref="DialCallJob.ExecuteAsync"/>'s PerformContext and CancellationToken parameters and a CurrentCulture
/// parameter, still runs and dials.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class DialJobSignatureTests
{
    private const string OldParameterTypes =
        """["System.String","Hangfire.Server.PerformContext, Hangfire.Core","System.Threading.CancellationToken, mscorlib"]""";

    [TestCase(false, "Enqueued", TestName = "DialJob_QueuedCall_IsACompactListpackHashWithTheCallIdAlone")]
    [TestCase(true, "Scheduled", TestName = "DialJob_ScheduledCall_IsACompactListpackHashWithTheCallIdAlone")]
    public async Task DialJob_QueuedThroughTheApi_IsACompactListpackHashWithTheCallIdAlone(bool scheduled, string state)
    {
        // No dial workers: the job stays as queueing wrote it.
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0" });
        var extra = scheduled ? $"\"scheduled_at\": \"{DateTimeOffset.UtcNow.AddHours(2):O}\"" : null;
        var callId = await DialingEndToEndTests.QueueAsync(app, QueueCallApiTests.ValidCall("+14155550191", extra));
        var call = await app.WaitForCallAsync(callId, c => c.JobId is not null);

        // Its own connection: CONFIG is an admin command, which the app's connection does not allow.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString + ",allowAdmin=true");
        var db = redis.GetDatabase();
        var key = $"{{{app.KeyPrefix}}}:hangfire:job:{call.JobId}";
        var limit = int.Parse((await redis.GetServers()[0].ConfigGetAsync("hash-max-listpack-value")).Single().Value);
        var encoding = (string?)await db.ExecuteAsync("OBJECT", "ENCODING", key);
        var fields = (await db.HashGetAllAsync(key)).ToDictionary(entry => (string)entry.Name!, entry => (string)entry.Value!);
        var tooLong = fields.Where(field => Encoding.UTF8.GetByteCount(field.Value) > limit).Select(field => $"{field.Key} ({field.Value})");

        Assert.Multiple(() =>
        {
            Assert.That(limit, Is.EqualTo(64), "Redis's default hash-max-listpack-value, which production runs with");
            Assert.That(fields["State"], Is.EqualTo(state));
            Assert.That(fields["Method"], Is.EqualTo(nameof(DialCallJob.DialAsync)));
            Assert.That(fields["ParameterTypes"], Is.EqualTo("""["System.String"]"""));
            Assert.That(fields["Arguments"], Is.EqualTo($"""["\"{callId}\""]"""));
            Assert.That(fields.Keys, Has.None.EqualTo("CurrentCulture").And.None.EqualTo("CurrentUICulture"), "Hangfire's CaptureCultureAttribute is left out");
            Assert.That(tooLong, Is.Empty, "values longer than hash-max-listpack-value make the hash a hashtable");
            Assert.That(encoding, Is.EqualTo("listpack"));
        });
    }

    [Test]
    public async Task DialAsync_QueuedCall_DialsOnARealWorkerUnderItsOwnJob()
    {
        await using var app = CallQueueApp.WithRedis();
        var callId = await DialingEndToEndTests.QueueAsync(app, QueueCallApiTests.ValidCall("+14155550192"));

        var call = await app.WaitForCallAsync(callId, c => c.LastAttempt?.RequestUuid is not null);

        using var connection = app.Service<JobStorage>().GetConnection();
        Assert.Multiple(() =>
        {
            Assert.That(connection.GetJobData(call.JobId)?.Job.Method.Name, Is.EqualTo(nameof(DialCallJob.DialAsync)));
            Assert.That(call.LastAttempt!.JobId, Is.EqualTo(call.JobId), "the run knew its job (CurrentJob)");
            Assert.That(OperatorTestCalls.DialsTo(app, "+14155550192"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ExecuteAsync_DialJobStoredBeforeDialAsync_IsStillPerformedAndDials()
    {
        await using var app = CallQueueApp.WithRedis();
        var store = app.Service<ICallStore>();
        var now = DateTimeOffset.UtcNow;
        var call = new CallRecord
        {
            CallId = "call_" + Guid.NewGuid().ToString("N"),
            PhoneNumber = "+14155550193",
            CampaignId = "job-signature",
            Config = new CallConfig { AnswerUrl = "https://agent.example.com/answer" },
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.CreateAsync([call], CancellationToken.None);

        // What DialJobFactory created before issue 15, by a client with Hangfire's global filters, whose
        // CaptureCultureAttribute the service's filters had too then (its CurrentCulture parameter is never read now).
        var job = Job.FromExpression<DialCallJob>(dial => dial.ExecuteAsync(call.CallId, null, CancellationToken.None), "normal");
        var jobId = new BackgroundJobClient(app.Service<JobStorage>()).Create(job, new EnqueuedState("normal") { Reason = "Queued" });
        var owner = await store.AssignJobAsync(call, jobId, CancellationToken.None);

        var dialed = await app.WaitForCallAsync(call.CallId, c => c.LastAttempt?.RequestUuid is not null);
        await OperatorTestCalls.WaitForJobStateAsync(app, jobId, SucceededState.StateName);

        var stored = await app.Service<IConnectionMultiplexer>().GetDatabase().HashGetAllAsync($"{{{app.KeyPrefix}}}:hangfire:job:{jobId}");
        var fields = stored.ToDictionary(entry => (string)entry.Name!, entry => (string)entry.Value!);
        Assert.Multiple(() =>
        {
            Assert.That(fields["Method"], Is.EqualTo(nameof(DialCallJob.ExecuteAsync)));
            Assert.That(fields["ParameterTypes"], Is.EqualTo(OldParameterTypes), "the job as it was stored before DialAsync");
            Assert.That(fields["CurrentCulture"], Is.EqualTo("\"\""), "as CaptureCultureAttribute wrote it: an empty name, in JSON");
            Assert.That(owner, Is.EqualTo(jobId));
            Assert.That(dialed.JobId, Is.EqualTo(jobId));
            Assert.That(dialed.LastAttempt!.JobId, Is.EqualTo(jobId), "Hangfire passed it its PerformContext");
            Assert.That(OperatorTestCalls.DialsTo(app, "+14155550193"), Is.EqualTo(1), "dialed once");
        });
    }
}
