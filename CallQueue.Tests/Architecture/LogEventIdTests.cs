using System.Reflection;
using CallQueue.Api.Hosting;
using CallQueue.Jobs.Hosting;
using Microsoft.Extensions.Logging;

namespace CallQueue.Tests.Architecture;

/// <summary>An event id names one kind of log line: operators filter and alert on them, so no two messages share one.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class LogEventIdTests
{
    [Test]
    public void ProductionAssemblies_LoggerMessages_HaveDistinctEventIds()
    {
        var messages = new[] { typeof(CallQueueApiExtensions).Assembly, typeof(ServiceCollectionExtensions).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: $"{method.DeclaringType!.FullName}.{method.Name}", Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(message => message.Attribute is not null)
            .ToList();

        var shared = messages.GroupBy(message => message.Attribute!.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(message => message.Method))}")
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(messages, Has.Count.GreaterThan(50), "the reader found the service's log messages");
            Assert.That(shared, Is.Empty, "event ids used by more than one message");
        });
    }
}
