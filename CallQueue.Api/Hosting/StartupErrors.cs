using Microsoft.Extensions.Options;

namespace CallQueue.Api.Hosting;

/// <summary>Turns start-up failures into one line per problem for the console (DESIGN.md §6).</summary>
public static class StartupErrors
{
    public static IReadOnlyList<string>? Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            OptionsValidationException options => options.Failures.ToList(),
            StartupException startup => [startup.Message],
            AggregateException aggregate when aggregate.InnerExceptions.All(inner => Describe(inner) is not null) =>
                aggregate.InnerExceptions.SelectMany(inner => Describe(inner)!).ToList(),
            _ => null,
        };
    }
}
