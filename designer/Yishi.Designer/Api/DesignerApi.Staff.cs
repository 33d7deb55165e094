using System.Net.Http.Json;

namespace Yishi.Designer.Api;

/// <summary>A member of staff as the server shows them to a designer: the name and phone already masked.</summary>
public sealed record StaffMember(string Id, string DisplayName, string? Phone, string OrgUnitId, IReadOnlyList<string> Roles);

public sealed partial class DesignerApi
{
    /// <summary>Staff in the user's org units whose name (or user name, or id) contains <paramref name="search"/>; at most a page of them.</summary>
    public async Task<IReadOnlyList<StaffMember>> SearchStaffAsync(string? search, CancellationToken cancellationToken)
    {
        using var client = await backend.ClientAsync(cancellationToken);
        var query = string.IsNullOrWhiteSpace(search) ? "" : "?search=" + Uri.EscapeDataString(search.Trim());
        return await client.GetFromJsonAsync<List<StaffMember>>("api/staff" + query, DesignerJson.Options, cancellationToken) ?? [];
    }
}
