using System.Text.RegularExpressions;
using CallQueue.Api.Configuration;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Hosting;

/// <summary>Turns start-up failures into one line per problem for the console (DESIGN.md §6).</summary>
public static partial class StartupErrors
{
    public static IReadOnlyList<string>? Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            OptionsValidationException options => options.Failures.ToList(),
            StartupException startup => [startup.Message],
            InvalidOperationException when Unbindable(exception.Message) is { } line => [line],
            AggregateException aggregate when aggregate.InnerExceptions.All(inner => Describe(inner) is not null) =>
                aggregate.InnerExceptions.SelectMany(inner => Describe(inner)!).ToList(),
            _ => null,
        };
    }

    /// <summary>
    /// The configuration binder's "Failed to convert configuration value 'ten' at 'MAX_CONCURRENT_CALLS' to type
    /// 'System.Int32'." as "MAX_CONCURRENT_CALLS must be a whole number (got 'ten')"; null for any other message. The
    /// binder reports this only in its message, so the message is what is read.
    /// </summary>
    internal static string? Unbindable(string message)
    {
        var match = UnbindableValue().Match(message);
        if (!match.Success)
        {
            return null;
        }

        var kind = match.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Double" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a duration such as 00:00:30",
            _ => "a value of another form",
        };
        var got = match.Groups["value"].Success ? $" (got '{match.Groups["value"].Value}')" : string.Empty;
        return $"{match.Groups["key"].Value} must be {kind}{got}";
    }

    [GeneratedRegex(@"^Failed to convert configuration value (?:'(?<value>[^']*)' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex UnbindableValue();
}
