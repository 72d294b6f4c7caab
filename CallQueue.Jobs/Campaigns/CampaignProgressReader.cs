using System.Globalization;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Safety;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Throttling;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Campaigns;

/// <summary>
/// Reads campaigns' and batches' progress and ETA (issue 12): O(1) per campaign (its tally is kept with every write; the
/// queues ahead are Hangfire's O(1) queue lengths), never a walk over its calls.
/// </summary>
public sealed class CampaignProgressReader(
    ICallStore store,
    ICampaignStates states,
    IDialQueueLengths queues,
    CallSafety safety,
    IOptions<QueueOptions> options,
    TimeProvider time)
{
    private const int MinEndedForMean = 10;
    private static readonly TimeSpan HoursStep = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan HoursHorizon = TimeSpan.FromDays(14);

    /// <summary>The campaign's or batch's progress; null when nobody queued a call under that id.</summary>
    public async Task<CampaignProgress?> GetAsync(ControlTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var tally = target.Scope == ControlScope.Campaign
            ? await store.GetCampaignTallyAsync(target.Id, cancellationToken)
            : await store.GetBatchTallyAsync(target.Id, cancellationToken);
        if (tally is null || tally.Total == 0)
        {
            return null;
        }

        var stored = await states.GetAsync(target, cancellationToken);
        var state = stored == CampaignState.Active && tally.Waiting == 0 && tally.InFlight == 0 ? CampaignState.Completed : stored;
        return new CampaignProgress(
            target,
            state,
            tally.Total,
            tally.Done,
            tally.Counts.ToDictionary(pair => pair.Key.ToWire(), pair => pair.Value),
            tally.Outcomes.Where(pair => pair.Value != 0).ToDictionary(pair => pair.Key.ToWire(), pair => pair.Value),
            tally.Attempts,
            tally.AttemptsEnded == 0 ? null : Math.Round((double)tally.Answered / tally.AttemptsEnded, 4),
            tally.Answered == 0 ? null : Math.Round((double)tally.TalkSeconds / tally.Answered, 1),
            tally.LastActivity,
            await EstimateAsync(target, tally, state, cancellationToken));
    }

    /// <summary>Campaigns newest first, <paramref name="count"/> per page, from <paramref name="cursor"/> (null: the first page).</summary>
    public async Task<CampaignPage> ListAsync(string? cursor, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var skip = cursor is null ? 0 : long.Parse(cursor, NumberStyles.None, CultureInfo.InvariantCulture);
        var ids = await store.GetCampaignIdsAsync(skip, count + 1, cancellationToken);
        var items = new List<CampaignProgress>(count);
        foreach (var id in ids.Take(count))
        {
            if (await GetAsync(ControlTarget.Campaign(id), cancellationToken) is { } progress)
            {
                items.Add(progress);
            }
        }

        return new CampaignPage(items, ids.Count > count ? (skip + count).ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>True when <paramref name="cursor"/> is one <see cref="ListAsync"/> handed out.</summary>
    public static bool IsCursor(string? cursor) => cursor is null || long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// When the calls still to place will have been placed: the calls ahead of them (higher priority queues, and the rest
    /// of their own queue) and theirs, at the rate the caps allow (RATE_LIMIT_PER_SECOND as the limiter grants it, or
    /// MAX_CONCURRENT_CALLS over the mean line time, whichever is lower), counted only while the calling hours of its
    /// next callee are open. Assumes one attempt per waiting call (retries to come are not known yet).
    /// </summary>
    private async Task<CampaignEta> EstimateAsync(ControlTarget target, CallTally tally, CampaignState state, CancellationToken cancellationToken)
    {
        var queue = options.Value;
        var byRate = DialRate.EffectivePerSecond(queue.RateLimitPerSecond);

        // The line time of the campaign's own ended attempts, else the deployment's; without either, the concurrency cap is
        // assumed not to bind (said in the note) until ten attempts have ended.
        string? assumed = null;
        double? meanSeconds = tally.AttemptsEnded >= MinEndedForMean ? Math.Max(1, (double)tally.LineSeconds / tally.AttemptsEnded) : null;
        if (meanSeconds is null)
        {
            var deployment = await store.GetLineTimeAsync(cancellationToken);
            meanSeconds = deployment.AttemptsEnded >= MinEndedForMean ? Math.Max(1, deployment.Mean!.Value) : null;
            assumed = meanSeconds is null
                ? "no call has ended yet, so the line time is unknown: assumed MAX_CONCURRENT_CALLS does not bind"
                : "line time of the deployment's calls (fewer than ten of this one's have ended)";
        }

        var byLines = meanSeconds is { } mean ? queue.MaxConcurrentCalls / mean : double.PositiveInfinity;
        var perSecond = Math.Min(byRate, byLines);
        var boundBy = byRate <= byLines ? "rate" : "concurrency";
        var remaining = tally.Waiting;
        CampaignEta Eta(DateTimeOffset? at, long ahead, string? hours, string? note) =>
            new(at, remaining, ahead, Math.Round(perSecond, 3), boundBy, meanSeconds is { } line ? Math.Round(line, 1) : null, hours, note ?? assumed);

        if (remaining == 0)
        {
            return Eta(null, 0, null, "nothing left to place");
        }

        if (state is CampaignState.Paused or CampaignState.Cancelled)
        {
            return Eta(null, 0, null, $"{state.ToWire()}: nothing is placed until it is resumed");
        }

        var sample = await NextCallAsync(target, cancellationToken);
        var ahead = sample is null ? 0 : await CallsAheadAsync(sample.Priority, tally, cancellationToken);
        var now = time.GetUtcNow();
        var work = TimeSpan.FromSeconds((ahead + remaining) / perSecond);

        // Calls scheduled for later (scheduled_at, a retry or a hold) start then: its newest call stands for the rest.
        var start = sample is { Status: CallStatus.Queued or CallStatus.Scheduled or CallStatus.Retry }
            ? new[] { now, sample.ScheduledAt ?? now, sample.NextAttemptAt ?? now }.Max()
            : now;
        if (sample is null)
        {
            return Eta(start + work, ahead, null, null);
        }

        var policy = safety.Policy;
        var zones = CallSafety.Locate(sample).Location is { } location ? string.Join(", ", location.ZoneIds) : "unknown zone";
        var hours = string.Create(
            CultureInfo.InvariantCulture,
            $"{policy.DeploymentWindow}{(policy.LegalHours ? ", the law's hours" : string.Empty)}{(CallSafety.WindowOf(sample) is null ? string.Empty : ", the call's calling_window")} in {zones}");
        return OpenTimeEnd(sample, start, work) is { } end
            ? Eta(end, ahead, hours, null)
            : Eta(null, ahead, hours, "its calling hours do not give enough open time in the next 14 days");
    }

    /// <summary>When <paramref name="work"/> of dialing is done, counting only the time the callee's hours are open.</summary>
    private DateTimeOffset? OpenTimeEnd(CallRecord sample, DateTimeOffset from, TimeSpan work)
    {
        var at = from;
        var left = work;
        while (at - from < HoursHorizon)
        {
            switch (safety.Check(sample with { ExpiresAt = null }, at))
            {
                case { Until: { } opens }:
                    at = opens > at ? opens : at + HoursStep;
                    continue;
                case { FinalStatus: not null }:
                    return null;
            }

            var step = left < HoursStep ? left : HoursStep;
            at += step;
            left -= step;
            if (left <= TimeSpan.Zero)
            {
                return at;
            }
        }

        return null;
    }

    /// <summary>The campaign's newest call (a batch's first): its priority and callee stand for the rest.</summary>
    private async Task<CallRecord?> NextCallAsync(ControlTarget target, CancellationToken cancellationToken)
    {
        string? id;
        if (target.Scope == ControlScope.Campaign)
        {
            var newest = await store.GetCampaignCallIdsAsync(target.Id, after: null, count: 1, cancellationToken);
            id = newest.Count == 0 ? null : newest[0].CallId;
        }
        else
        {
            id = await store.GetFirstBatchCallIdAsync(target.Id, cancellationToken);
        }

        return id is null ? null : await store.GetAsync(id, cancellationToken);
    }

    /// <summary>Dial jobs waiting in higher-priority queues, and those of other campaigns in its own queue.</summary>
    private async Task<long> CallsAheadAsync(CallPriority priority, CallTally tally, CancellationToken cancellationToken)
    {
        var lengths = await queues.ReadAsync(cancellationToken);
        return lengths.Ahead(priority) + Math.Max(0, lengths.Of(priority) - tally.Counts[CallStatus.Queued]);
    }
}
