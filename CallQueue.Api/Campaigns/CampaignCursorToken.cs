using System.Buffers.Text;
using System.Globalization;
using System.Text;
using CallQueue.Jobs.Storage;

namespace CallQueue.Api.Campaigns;

/// <summary>The opaque <c>cursor</c> of GET /api/campaigns/{id}/calls: a <see cref="CampaignCursor"/> in URL-safe base64.</summary>
internal static class CampaignCursorToken
{
    private const string Version = "c1";

    public static string Encode(CampaignCursor cursor) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}.{cursor.CreatedAtMs}.{cursor.Skip}")));

    public static bool TryDecode(string token, out CampaignCursor cursor)
    {
        cursor = default;
        if (token.Length > 64 || !Base64Url.IsValid(token))
        {
            return false;
        }

        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token)).Split('.');
        if (parts.Length != 3 || parts[0] != Version
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var createdAtMs)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var skip))
        {
            return false;
        }

        cursor = new CampaignCursor(createdAtMs, skip);
        return true;
    }
}
