namespace CallQueue.Jobs.Configuration;

internal static class OptionsText
{
    /// <summary>An empty or blank setting (appsettings.json lists every key with "") means "not set".</summary>
    public static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
