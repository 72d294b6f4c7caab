using System.Diagnostics;
using System.Globalization;
using System.Net;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Plivo;

namespace CallQueue.Api.Diagnostics;

/// <summary>
/// The Plivo credentials are accepted: <see cref="IPlivoClient.CheckCredentialsAsync"/>, a harmless authenticated GET of
/// the account, through the service's own Plivo client. In sandbox mode that is the built-in sandbox, which only a running
/// CallQueue serves: the one at an explicit PLIVO_API_URL, else the check's own server (<see cref="CheckServer"/>).
/// </summary>
internal static class PlivoCheck
{
    public const string Name = "plivo";

    public static async Task RunAsync(CheckContext context, CheckServer? server, CheckReport report, CancellationToken cancellationToken)
    {
        var plivo = context.Plivo;
        if (plivo is null || context.App is null)
        {
            var failure = context.FirstFailureOf<PlivoOptions>();
            report.Add(failure is null
                ? CheckResult.Fail(Name, "not checked: the service cannot start with this configuration (see above)", CheckFixes.WrongConfig)
                : CheckResult.Fail(Name, "not checked: " + failure, CheckFixes.ForConfigurationFailure(failure)));
            return;
        }

        if (!plivo.IsSandbox)
        {
            var apiUrl = plivo.ApiUrl ?? PlivoOptions.DefaultApiUrl;
            await CheckAsync(context.App.Services, $"live account {plivo.AuthId} accepted by {apiUrl}", apiUrl, sandboxHint: null, report, cancellationToken);
            return;
        }

        const string mode = "sandbox mode (nobody is really called)";
        if (context.Setting("PLIVO_API_URL") is { } explicitUrl)
        {
            await CheckAsync(
                context.App.Services,
                $"{mode}: the sandbox at PLIVO_API_URL={explicitUrl} accepted the sandbox credentials",
                explicitUrl,
                "the sandbox is served by a running CallQueue instance: start it (dotnet run --project CallQueue.Api) or unset PLIVO_API_URL",
                report,
                cancellationToken);
            return;
        }

        if (server is null)
        {
            report.Add(CheckResult.Warn(
                Name,
                $"{mode}: not checked: the sandbox is served by the service itself, which this check could not start (see above)"));
            return;
        }

        var served = server.BaseAddress + "sandbox/plivo";
        await CheckAsync(
            server.Services,
            $"{mode}: the built-in sandbox accepted its credentials; this check serves one at {served} for the round trip "
            + $"(the service serves its own at {plivo.ApiUrl} while it runs)",
            served,
            sandboxHint: null,
            report,
            cancellationToken);
    }

    private static async Task CheckAsync(
        IServiceProvider services, string success, string apiUrl, string? sandboxHint, CheckReport report, CancellationToken cancellationToken)
    {
        var client = services.GetRequiredService<IPlivoClient>();
        try
        {
            var started = Stopwatch.GetTimestamp();
            await client.CheckCredentialsAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            report.Add(CheckResult.Pass(Name, string.Create(CultureInfo.InvariantCulture, $"{success} (GET account in {elapsed.TotalMilliseconds:0} ms)")));
        }
        catch (PlivoApiException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            report.Add(CheckResult.Fail(Name, $"Plivo credentials not accepted by {apiUrl}: {ex.Message}", CheckFixes.PlivoCredentials));
        }
        catch (PlivoApiException ex)
        {
            report.Add(CheckResult.Fail(
                Name,
                $"Plivo API error at {apiUrl}: {ex.Message}",
                sandboxHint ?? "check PLIVO_API_URL (default https://api.plivo.com) and Plivo's status page, then run the check again"));
        }
        catch (PlivoConnectionException ex)
        {
            report.Add(CheckResult.Fail(
                Name,
                $"Plivo unreachable at {apiUrl}: {ex.Message}",
                sandboxHint ?? "check PLIVO_API_URL (default https://api.plivo.com) and outbound HTTPS from this machine"));
        }
    }
}
