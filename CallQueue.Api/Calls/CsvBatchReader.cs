using System.Globalization;
using System.Text;
using System.Text.Json;
using CallQueue.Api.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using nietras.SeparatedValues;

namespace CallQueue.Api.Calls;

/// <summary>
/// Reads a CSV batch (<c>Content-Type: text/csv</c>, UTF-8, RFC 4180: a header row, fields quoted with <c>"</c> when
/// they hold commas, quotes or line breaks) into the same <see cref="BulkQueueRequest"/> a JSON batch is, so both go
/// through the same validation and queuing: each row becomes one call request, the <c>batch_id</c> query parameter the
/// batch id, and the <c>campaign_id</c> and <c>answer_url</c> query parameters <see cref="BulkDefaults"/> under every row.
/// An empty cell is a field not given. A CSV that cannot be read as rows (no header, a quote left open, a row with
/// another number of fields than the header, not UTF-8) is a 400 naming the row, line and column.
/// <para>
/// Parsed with Sep rather than CsvHelper: it is several times faster and allocation-free (a 10,000-row batch must be
/// answered as fast as the JSON one), and it hands over each field's raw text, so the quoting is checked here and the
/// problem named in the client's terms (row and column), where Sep by design recovers from bad quotes silently and
/// CsvHelper throws its own exception types and messages.
/// </para>
/// </summary>
internal static class CsvBatchReader
{
    public const string MediaType = "text/csv";

    private const string Field = "csv";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsCsv(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase);

    public static async Task<(BulkBatch? Batch, IResult? Problem)> ReadAsync(HttpContext http, long maxBytes)
    {
        var charset = MediaTypeHeaderValue.Parse(http.Request.ContentType).Charset;
        if (charset.HasValue && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"A CSV batch must be UTF-8 (Content-Type: text/csv; charset=utf-8), not {charset}."));
        }

        var (body, problem) = await RequestBody.ReadBytesAsync(http, maxBytes);
        if (problem is not null)
        {
            return (null, problem);
        }

        string text;
        try
        {
            var bytes = body.Span;
            text = StrictUtf8.GetString(bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, Problem("The CSV is not valid UTF-8 text; save it as UTF-8 (\"CSV UTF-8\")."));
        }

        try
        {
            var (batch, error) = Parse(text, http.Request.Query);
            return error is null ? (batch, null) : (null, Problem(error));
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
        {
            // Sep's own limits (it checks nothing else with these options): still the client's CSV, so a 400, not a 500.
            return (null, Problem("The CSV could not be read as rows: " + ex.Message));
        }
    }

    /// <summary>The batch in <paramref name="text"/>, or what makes it unreadable (one sentence naming row, line and column).</summary>
    internal static (BulkBatch? Batch, string? Error) Parse(string text, IQueryCollection query)
    {
        // Our own header and column-count checks (HasHeader and the column count check off): they name the problem in
        // the client's terms. Raw fields (no Unescape): the quoting is checked, then unescaped, in Value below.
        using var reader = Sep.Reader(options => options with { Sep = new Sep(','), HasHeader = false, DisableColCountCheck = true })
            .FromText(text);
        string[]? header = null;
        var calls = new List<QueueCallRequest?>();
        var rows = new List<int>();
        var readErrors = new Dictionary<int, IDictionary<string, string[]>>();
        foreach (var row in reader)
        {
            var cells = new string?[row.ColCount];
            for (var col = 0; col < cells.Length; col++)
            {
                var (value, quoteError) = Value(row[col].Span);
                if (quoteError is not null)
                {
                    var column = header is null ? FormattableString.Invariant($"{col + 1}") : col < header.Length ? header[col] : FormattableString.Invariant($"{col + 1} (past the header)");
                    // The header starts on line 1 (Sep numbers lines from where it last parsed, wrong for a first row that spans to the end).
                    var where = header is null ? "The header (line 1)" : FormattableString.Invariant($"Row {row.RowIndex} (line {row.LineNumberFrom})");
                    return (null, FormattableString.Invariant($"{where}, column {column}: {quoteError}"));
                }

                cells[col] = value;
            }

            if (header is null)
            {
                if (ReadHeader(cells) is { } headerError)
                {
                    return (null, headerError);
                }

                header = cells.Select(cell => cell!).ToArray();
                continue;
            }

            if (cells.All(cell => cell is null))
            {
                continue; // a blank line, or a spreadsheet's row of empty cells
            }

            if (cells.Length != header.Length)
            {
                return (null, FormattableString.Invariant(
                    $"Row {row.RowIndex} (line {row.LineNumberFrom}) has {cells.Length} fields; the header has {header.Length}. Every row needs one field per header column (quote a field that contains a comma)."));
            }

            if (calls.Count == CallRequestLimits.MaxBatchSize)
            {
                return (null, FormattableString.Invariant($"The CSV has more than {CallRequestLimits.MaxBatchSize} data rows; split the batch."));
            }

            var (call, error) = ToCall(header, cells);
            if (error is not null)
            {
                readErrors[calls.Count] = error;
            }

            calls.Add(call);
            rows.Add(row.RowIndex);
        }

        if (header is null)
        {
            return (null, "The CSV is empty: its first row must be a header naming the columns (phone_number, campaign_id, answer_url, …).");
        }

        if (calls.Count == 0)
        {
            return (null, "The CSV has a header but no data rows.");
        }

        var request = new BulkQueueRequest
        {
            BatchId = Query(query, "batch_id"),
            Defaults = Query(query, CsvColumns.CampaignId) is null && Query(query, CsvColumns.AnswerUrl) is null ? null : new BulkDefaults
            {
                CampaignId = Query(query, CsvColumns.CampaignId),
                CallConfig = Query(query, CsvColumns.AnswerUrl) is { } answerUrl ? new CallConfigRequest { AnswerUrl = answerUrl } : null,
            },
            Calls = calls,
        };
        return (new BulkBatch(request, BulkItemNaming.Csv(rows), readErrors.Count == 0 ? null : readErrors), null);
    }

    /// <summary>Checks the header's names in place (known ones lower-cased); null when it is usable.</summary>
    private static string? ReadHeader(string?[] names)
    {
        var variables = new HashSet<string>(StringComparer.Ordinal);
        var known = new HashSet<string>(StringComparer.Ordinal);
        for (var col = 0; col < names.Length; col++)
        {
            if (names[col] is not { } name)
            {
                return FormattableString.Invariant($"The header's column {col + 1} has no name: the first row must be a header naming every column.");
            }

            if (CsvColumns.Known.FirstOrDefault(column => column.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } column)
            {
                names[col] = column;
                if (!known.Add(column))
                {
                    return $"The header names the column {column} twice.";
                }

                continue;
            }

            var variable = VariableName(name);
            if (variable.Length == 0 || !variables.Add(variable))
            {
                return variable.Length == 0
                    ? FormattableString.Invariant($"The header's column {col + 1} ({name}) names no variable after '{CsvColumns.VariablePrefix}'.")
                    : $"The header gives the variable {variable} twice (columns {variable} and {CsvColumns.VariablePrefix}{variable}, or the same name twice).";
            }
        }

        return known.Contains(CsvColumns.PhoneNumber)
            ? null
            : "The CSV's first row must be a header naming the columns, with a phone_number column (found: " + string.Join(", ", names) + ").";
    }

    private static string VariableName(string column) =>
        column.StartsWith(CsvColumns.VariablePrefix, StringComparison.OrdinalIgnoreCase) ? column[CsvColumns.VariablePrefix.Length..] : column;

    /// <summary>One row as a call request, and the cells that cannot be a field's value (by wire path).</summary>
    private static (QueueCallRequest Call, IDictionary<string, string[]>? Errors) ToCall(string[] header, string?[] cells)
    {
        string? Cell(string column) => Array.IndexOf(header, column) is var col and >= 0 ? cells[col] : null;

        Dictionary<string, string[]>? errors = null;
        int? maxRetries = null;
        if (Cell(CsvColumns.MaxRetries) is { } retries)
        {
            if (int.TryParse(retries, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                maxRetries = parsed;
            }
            else
            {
                errors = new() { ["max_retries"] = [$"max_retries must be a whole number (got '{retries}')."] };
            }
        }

        Dictionary<string, string>? variables = null;
        for (var col = 0; col < header.Length; col++)
        {
            if (cells[col] is { } value && !CsvColumns.Known.Contains(header[col]))
            {
                (variables ??= new(StringComparer.Ordinal))[VariableName(header[col])] = value;
            }
        }

        var call = new QueueCallRequest
        {
            PhoneNumber = Cell(CsvColumns.PhoneNumber),
            CampaignId = Cell(CsvColumns.CampaignId),
            CustomCallId = Cell(CsvColumns.CustomCallId),
            Priority = Cell(CsvColumns.Priority),
            ScheduledAt = Cell(CsvColumns.ScheduledAt),
            ExpiresAt = Cell(CsvColumns.ExpiresAt),
            MaxRetries = maxRetries,
            CallConfig = new CallConfigRequest
            {
                AnswerUrl = Cell(CsvColumns.AnswerUrl),
                FlowName = Cell(CsvColumns.FlowName),
                Timezone = Cell(CsvColumns.Timezone),
                Variables = variables is null ? null : JsonSerializer.SerializeToElement(variables),
            },
        };
        return (call, errors);
    }

    /// <summary>
    /// A field's value: spaces around it dropped, then, when quoted, the quotes removed and <c>""</c> read as <c>"</c>;
    /// null when empty. A quoted field must close, and its inner quotes must be doubled.
    /// </summary>
    private static (string? Value, string? Error) Value(ReadOnlySpan<char> raw)
    {
        raw = raw.Trim(' ');
        if (raw.Length == 0 || raw[0] != '"')
        {
            return (raw.Length == 0 ? null : raw.ToString(), null);
        }

        var value = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length; i++)
        {
            if (raw[i] != '"')
            {
                value.Append(raw[i]);
            }
            else if (i == raw.Length - 1)
            {
                return (value.Length == 0 ? null : value.ToString(), null); // the closing quote
            }
            else if (raw[i + 1] == '"')
            {
                value.Append('"');
                i++;
            }
            else
            {
                return (null, "text follows the closing quote of a quoted field; a quote inside a quoted field is written twice (\"\").");
            }
        }

        return (null, "a quoted field is not closed (unbalanced quotes): every field that starts with \" must end with \".");
    }

    private static string? Query(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) ? values.ToString() : null;

    private static ValidationProblem Problem(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Field] = [message] }, title: "The CSV batch could not be read");
}
