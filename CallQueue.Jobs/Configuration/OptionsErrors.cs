namespace CallQueue.Jobs.Configuration;

/// <summary>Shared checks for the options validators; each failure is one line naming the variable.</summary>
internal static class OptionsErrors
{
    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static void Range(List<string> failures, string name, double value, double min, double max)
    {
        if (value < min || value > max)
        {
            failures.Add(FormattableString.Invariant($"{name} must be between {min} and {max} (got {value})"));
        }
    }
}
