using System.Text.Json;
using CallQueue.Api.Calls;
using FluentValidation.Results;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Calls;

/// <summary>Requests, clock and assertions shared by the call request tests.</summary>
internal static class CallRequestTestData
{
    /// <summary>The JSON settings the app reads request bodies with (snake_case, comments and trailing commas tolerated).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Now);

    public static QueueCallRequestValidator Validator() => new(Clock());

    /// <summary>The smallest request that is valid: the seed's "Test a call" example.</summary>
    public static QueueCallRequest ValidRequest() => new()
    {
        PhoneNumber = "+919123456789",
        CampaignId = "test-migration",
        CallConfig = ValidConfig(),
    };

    public static CallConfigRequest ValidConfig() => new()
    {
        FlowName = "wishfin-test",
        AnswerUrl = "https://your-domain.com/outbound-answer",
    };

    public static QueueCallRequest WithConfig(Func<CallConfigRequest, CallConfigRequest> change) =>
        ValidRequest() with { CallConfig = change(ValidConfig()) };

    public static JsonElement Element(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    public static void AssertValid(ValidationResult result) =>
        Assert.That(result.Errors, Is.Empty, () => string.Join("; ", result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")));

    /// <summary>Exactly one error, on <paramref name="propertyName"/>, and its message names that path.</summary>
    public static ValidationFailure AssertSingleError(ValidationResult result, string propertyName)
    {
        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { propertyName }));
        var error = result.Errors[0];
        Assert.That(error.ErrorMessage, Does.StartWith(propertyName + " "));
        return error;
    }
}
