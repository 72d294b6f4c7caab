namespace CallQueue.Api.Calls;

/// <summary>
/// How a bulk request's items and fields are named in its answer: JSON items as <c>calls[3].call_config.answer_url</c>
/// (the index from 0), CSV rows by their row number (1 = the first data row after the header) and column
/// (<c>answer_url</c>), and the defaults as <c>defaults.priority</c> (JSON) or the query parameter (CSV).
/// </summary>
internal sealed class BulkItemNaming
{
    private readonly IReadOnlyList<int>? _rows;

    private BulkItemNaming(IReadOnlyList<int>? rows) => _rows = rows;

    public static BulkItemNaming Json { get; } = new(null);

    /// <param name="rows">The row number of each item (rows with every field empty are skipped, so not always index + 1).</param>
    public static BulkItemNaming Csv(IReadOnlyList<int> rows) => new(rows);

    public int? Row(int index) => _rows?[index];

    /// <summary>The field of item <paramref name="index"/> at <paramref name="path"/> (empty: the item itself).</summary>
    public string ItemField(int index, string path) =>
        _rows is not null ? CsvColumns.ColumnOf(path)
        : path.Length == 0 ? FormattableString.Invariant($"calls[{index}]")
        : FormattableString.Invariant($"calls[{index}].{path}");

    public string DefaultsField(string path) => _rows is null ? "defaults." + path : CsvColumns.ColumnOf(path);

    /// <summary>
    /// Item <paramref name="index"/>'s errors (by wire path) under the names above. CSV messages name the column instead
    /// of the wire path; JSON items keep the validator's messages (the key says which item).
    /// </summary>
    public IDictionary<string, string[]> ItemErrors(int index, IDictionary<string, string[]> errors) =>
        errors.ToDictionary(
            error => ItemField(index, error.Key),
            error => _rows is null ? error.Value : error.Value.Select(message => Rename(message, error.Key, ItemField(index, error.Key))).ToArray());

    /// <summary>The defaults' errors under their names (messages renamed alike).</summary>
    public IDictionary<string, string[]> DefaultsErrors(IDictionary<string, string[]> errors) =>
        errors.ToDictionary(
            error => DefaultsField(error.Key),
            error => error.Value.Select(message => Rename(message, error.Key, DefaultsField(error.Key))).ToArray());

    /// <summary>
    /// The seed's one-line <c>error</c> of item <paramref name="index"/> (errors by wire path): each message naming its
    /// field as above, CSV ones led by the row (<c>Row 3: max_retries must be a whole number (got 'x')</c>).
    /// </summary>
    public string ErrorLine(int index, IDictionary<string, string[]> errors)
    {
        var messages = errors.SelectMany(error => error.Value.Select(message =>
        {
            var field = ItemField(index, error.Key);
            var renamed = Rename(message, error.Key, field);
            return renamed.StartsWith(field, StringComparison.Ordinal) ? renamed : field + ": " + renamed;
        }));
        var line = string.Join("; ", messages);
        return _rows is null ? line : FormattableString.Invariant($"Row {_rows[index]}: {line}");
    }

    // "call_config.answer_url is required" → "answer_url is required" (only a leading path, as the validator writes it).
    private static string Rename(string message, string path, string field) =>
        path.Length > 0 && path != field && message.StartsWith(path + " ", StringComparison.Ordinal) ? field + message[path.Length..] : message;
}
