using System.Text.Json.Nodes;
using CallQueue.Api.Calls;
using CallQueue.Api.DoNotCall;
using CallQueue.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CallQueue.Api.Operations;

/// <summary>
/// The API's OpenAPI document at /openapi/v1.json (names and enums in snake_case, from the app's JSON options) and an
/// interactive reference at /scalar/v1. The queue endpoints read their bodies themselves (to answer bad JSON with a
/// problem naming the field), so their request bodies and the seed's examples are described here.
/// </summary>
public static class OpenApiDocs
{
    public const string DocumentPath = "/openapi/v1.json";

    private const string ApiKeyScheme = "ApiKey";
    private const string BearerScheme = "Bearer";

    private const string QueueExample = """
        {
          "phone_number": "+919123456789",
          "campaign_id": "test-migration",
          "call_config": { "flow_name": "wishfin-test", "answer_url": "https://your-domain.com/outbound-answer" }
        }
        """;

    private const string BulkExample = """
        {
          "batch_id": "migration-test-1",
          "calls": [
            {
              "phone_number": "+919123456789",
              "campaign_id": "test-campaign",
              "call_config": { "flow_name": "wishfin-test", "answer_url": "https://your-domain.com/outbound-answer" }
            }
          ]
        }
        """;

    private const string DoNotCallExample = """
        { "phone_numbers": ["+919123456789", "+14155550123"], "reason": "asked not to be called" }
        """;

    private static readonly Dictionary<string, (Type Type, string Example)> RequestBodies = new(StringComparer.Ordinal)
    {
        ["QueueCall"] = (typeof(QueueCallRequest), QueueExample),
        ["QueueCallOutbound"] = (typeof(QueueCallRequest), QueueExample),
        ["BulkQueueCalls"] = (typeof(BulkQueueRequest), BulkExample),
        ["AddDoNotCall"] = (typeof(AddDoNotCallRequest), DoNotCallExample),
    };

    public static IServiceCollection AddCallQueueOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "CallQueue";
                document.Info.Description = "Outbound call queue: queue calls, follow them, watch the queue. See README.md.";
                DescribeApiKeys(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribeRequestBodyAsync);
            options.AddOperationTransformer(RequireApiKey);
        });

    public static IEndpointRouteBuilder MapCallQueueOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference();
        return app;
    }

    /// <summary>API_KEYS as the document's security schemes: X-API-Key, or Authorization: Bearer (either one).</summary>
    private static void DescribeApiKeys(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-API-Key",
            Description = "One of API_KEYS (required in Production; never in the query string).",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "Authorization: Bearer <one of API_KEYS>.",
        };
    }

    /// <summary>
    /// Every route that needs <see cref="CallQueuePolicies.ApiKey"/> (the API group) says so, read from the route's own
    /// authorization metadata; /api/health and the signed Plivo callbacks are anonymous and do not.
    /// </summary>
    private static Task RequireApiKey(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAuthorizeData>().Any(data => data.Policy == CallQueuePolicies.ApiKey) && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
            ];
        }

        return Task.CompletedTask;
    }

    private static async Task DescribeRequestBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var name = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
        if (name is null || !RequestBodies.TryGetValue(name, out var body))
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(body.Type, parameterDescription: null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/json"] = new() { Schema = schema, Example = JsonNode.Parse(body.Example) },
            },
        };
    }
}
