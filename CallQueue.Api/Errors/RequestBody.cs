using System.Text.Json;
using CallQueue.Jobs.Calls;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallQueue.Api.Errors;

/// <summary>
/// Reads a JSON body with a size limit, turning every way it can be wrong into a 4xx that names the field
/// (instead of the framework's bare 400): bad JSON, wrong types, too large, missing.
/// </summary>
internal static class RequestBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context, long maxBytes)
        where T : class
    {
        var sizeLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
        {
            sizeLimit.MaxRequestBodySize = maxBytes;
        }

        if (context.Request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        if (!context.Request.HasJsonContentType() && context.Request.ContentType is not null)
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: "Send the body as JSON with Content-Type: application/json."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, CallJson.Options, context.RequestAborted);
            return value is null
                ? (null, FieldProblem("body", "A JSON object is required."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var field = JsonProblems.Field(ex);
            return (null, FieldProblem(field, $"{field} {JsonProblems.Explain(ex, typeof(T), CallJson.Options)}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }
    }

    /// <summary>
    /// The whole body, at most <paramref name="maxBytes"/> (else 413), for formats read in one piece (CSV batches).
    /// </summary>
    public static async Task<(ReadOnlyMemory<byte> Body, IResult? Problem)> ReadBytesAsync(HttpContext context, long maxBytes)
    {
        var sizeLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
        {
            sizeLimit.MaxRequestBodySize = maxBytes;
        }

        if (context.Request.ContentLength > maxBytes)
        {
            return (default, TooLarge(maxBytes));
        }

        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, TooLarge(maxBytes));
        }

        // The server's limit may be read-only (a request already being read): checked here as well. The buffer's array
        // outlives the stream (disposing a MemoryStream frees nothing).
        return buffer.Length > maxBytes ? (default, TooLarge(maxBytes)) : (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }

    private static ValidationProblem FieldProblem(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request body could not be read");

    private static ProblemHttpResult TooLarge(long maxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: FormattableString.Invariant($"The body may be at most {maxBytes / 1024} KB."));
}
