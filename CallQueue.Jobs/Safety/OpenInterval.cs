using NodaTime;

namespace CallQueue.Jobs.Safety;

/// <summary>A half-open stretch of instants [Start, End) in which calls are allowed.</summary>
internal readonly record struct OpenInterval(Instant Start, Instant End)
{
    /// <summary>The stretches both sorted, non-overlapping lists allow (sorted).</summary>
    public static List<OpenInterval> Intersect(List<OpenInterval> first, List<OpenInterval> second)
    {
        var result = new List<OpenInterval>();
        int i = 0, j = 0;
        while (i < first.Count && j < second.Count)
        {
            var start = Instant.Max(first[i].Start, second[j].Start);
            var end = Instant.Min(first[i].End, second[j].End);
            if (start < end)
            {
                result.Add(new OpenInterval(start, end));
            }

            if (first[i].End < second[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return result;
    }
}
