namespace CallQueue.Jobs.Webhooks;

/// <summary>An endpoint as logs and reasons show it: scheme, host, port and path; never user info or the query, which may carry a token.</summary>
public static class DeliveryTarget
{
    public static string Describe(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : "(an invalid URL)";
}
