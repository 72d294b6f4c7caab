using CallQueue.Jobs.Operations;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CallQueue.Api.Operations;

/// <summary>
/// Traces over OTLP, on only when the standard OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads it and the other
/// OTEL_EXPORTER_OTLP_* variables itself): ASP.NET Core requests, HttpClient requests (Plivo, the agent's
/// /start-call), and the service's own spans (<see cref="CallQueueTracing"/>: each job run, each Plivo callback), so
/// one trace goes from the request that queued a call through its dial attempts and the Plivo request to the callbacks
/// that settled it. Off, nothing is exported and the service's own spans are not created (no listener); the trace
/// context of the queuing request is still kept on the call and its job. Log lines written inside a span carry its
/// TraceId and SpanId (the host's default activity tracking).
/// </summary>
public static class TracingExtensions
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string DefaultServiceName = "callqueue";

    public static IServiceCollection AddCallQueueTracing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[EndpointVariable]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]) ? DefaultServiceName : configuration["OTEL_SERVICE_NAME"]!))
            .WithTracing(tracing => tracing
                .AddSource(CallQueueTracing.SourceName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsProbe(context.Request.Path))

                // The agent gate's /health poll (every few seconds) would drown the traces that matter.
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request =>
                    request.RequestUri?.AbsolutePath.EndsWith("/health", StringComparison.Ordinal) != true)
                .AddOtlpExporter());
        return services;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(MetricsApi.Path, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase);
}
