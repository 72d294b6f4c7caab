using System.Text.Json;
using CallQueue.Tests.Support;
using Microsoft.AspNetCore.Routing;

namespace CallQueue.Tests.Operations;

[TestFixture]
public sealed class OpenApiDocsTests
{
    [Test]
    public async Task OpenApiDocument_ListsEveryApiRoute_InSnakeCase()
    {
        await using var app = CallQueueApp.InMemory();
        using var client = app.Client();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");

        var mapped = app.Service<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(endpoint => (Path: "/" + endpoint.RoutePattern.RawText!.TrimStart('/'), Methods: endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(route => route.Path.StartsWith("/api/", StringComparison.Ordinal))
            .ToList();
        Assert.That(mapped, Has.Count.GreaterThan(10));
        Assert.Multiple(() =>
        {
            foreach (var (path, methods) in mapped)
            {
                Assert.That(paths.TryGetProperty(path, out var operations), Is.True, $"{path} is in the document");
                foreach (var method in methods)
                {
                    Assert.That(operations.ValueKind == JsonValueKind.Object && operations.TryGetProperty(method.ToLowerInvariant(), out _), Is.True, $"{method} {path}");
                }
            }

            var body = paths.GetProperty("/api/calls/queue").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
            Assert.That(body.GetProperty("example").GetProperty("phone_number").GetString(), Is.EqualTo("+919123456789"));
            Assert.That(body.GetProperty("schema").ToString(), Does.Contain("\"phone_number\"").And.Contain("\"call_config\"").And.Contain("\"answer_url\""));
        });

        using var ui = await client.GetAsync(new Uri("/scalar/v1", UriKind.Relative));
        Assert.That((int)ui.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task OpenApiDocument_GuardedRoutes_NameTheApiKeySchemes_OpenRoutesDoNot()
    {
        await using var app = CallQueueApp.InMemory();
        using var client = app.Client();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var root = document.RootElement;
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");

        static string[] Required(JsonElement operation) => operation.TryGetProperty("security", out var security)
            ? security.EnumerateArray().SelectMany(requirement => requirement.EnumerateObject().Select(scheme => scheme.Name)).ToArray()
            : [];

        var paths = root.GetProperty("paths");
        Assert.Multiple(() =>
        {
            Assert.That(schemes.GetProperty("ApiKey").GetProperty("in").GetString(), Is.EqualTo("header"));
            Assert.That(schemes.GetProperty("ApiKey").GetProperty("name").GetString(), Is.EqualTo("X-API-Key"));
            Assert.That(schemes.GetProperty("Bearer").GetProperty("scheme").GetString(), Is.EqualTo("bearer"));
            Assert.That(Required(paths.GetProperty("/api/calls/queue").GetProperty("post")), Is.EquivalentTo(new[] { "ApiKey", "Bearer" }));
            Assert.That(Required(paths.GetProperty("/api/queue/status").GetProperty("get")), Is.EquivalentTo(new[] { "ApiKey", "Bearer" }));
            Assert.That(Required(paths.GetProperty("/api/health").GetProperty("get")), Is.Empty, "probes need no key");
            Assert.That(Required(paths.GetProperty("/api/plivo/hangup").GetProperty("post")), Is.Empty, "Plivo signs its callbacks instead");
        });
    }
}
