using CallQueue.Api.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace CallQueue.Api.Operations;

/// <summary>
/// The log file of DESIGN.md §9, next to the console: LOG_FILE (default <c>queue_system.log</c> in the working
/// directory; empty = none), rolled at <see cref="FileSizeLimitBytes"/> keeping <see cref="RetainedFiles"/> files, as text
/// or as one JSON object per line (LOG_FORMAT=json). Serilog is only the file sink here: levels (LOG_LEVEL, Logging:LogLevel)
/// and scopes (the request id of every line logged while handling a request) come from Microsoft.Extensions.Logging.
/// </summary>
public static class FileLogging
{
    public const string DefaultFile = "queue_system.log";
    public const long FileSizeLimitBytes = 10 * 1024 * 1024;
    public const int RetainedFiles = 5;

    // Scopes and the event id follow the message as {Properties}; the request id is among them.
    private const string TextTemplate =
        "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}";

    public static WebApplicationBuilder AddCallQueueFileLog(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var path = builder.Configuration["LOG_FILE"] ?? DefaultFile;
        if (string.IsNullOrWhiteSpace(path))
        {
            return builder;
        }

        var logger = new LoggerConfiguration()
            .MinimumLevel.Verbose() // Microsoft.Extensions.Logging has filtered already.
            .Enrich.With<DropCredentialHeaders>()
            .WriteTo.File(
                Formatter(builder.Configuration["LOG_FORMAT"]),
                Path.GetFullPath(path.Trim(), Directory.GetCurrentDirectory()),
                fileSizeLimitBytes: FileSizeLimitBytes,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: RetainedFiles,
                // Several processes (or test hosts) may share one working directory.
                shared: true)
            .CreateLogger();
        // Not AddSerilog(): it adds a Trace-level filter for its provider that would bypass LOG_LEVEL and Logging:LogLevel.
        builder.Logging.AddProvider(new SerilogLoggerProvider(logger, dispose: true));
        return builder;
    }

    private static ITextFormatter Formatter(string? format) => format?.Trim().ToUpperInvariant() switch
    {
        null or "" or "TEXT" => new MessageTemplateTextFormatter(TextTemplate, System.Globalization.CultureInfo.InvariantCulture),
        "JSON" => new CompactJsonFormatter(),
        var other => throw new StartupException($"LOG_FORMAT must be text or json (got '{other}')"),
    };

    /// <summary>
    /// HttpClient's header logging (Trace) masks values in its message but keeps them in its structured state, which
    /// {Properties} and JSON would write: the Plivo client's Authorization header (Basic auth id:token) never reaches the file.
    /// </summary>
    private sealed class DropCredentialHeaders : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            logEvent.RemovePropertyIfPresent("Authorization");
            logEvent.RemovePropertyIfPresent("Proxy-Authorization");
            logEvent.RemovePropertyIfPresent("X-API-Key");
            logEvent.RemovePropertyIfPresent("Cookie");
        }
    }
}
