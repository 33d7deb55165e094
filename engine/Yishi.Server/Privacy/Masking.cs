namespace Yishi.Server.Privacy;

/// <summary>Personal data as lists, logs and exports show it (PIPL: the minimum needed).</summary>
public static class Masking
{
    /// <summary><c>13800001234</c> → <c>138****1234</c>.</summary>
    public static string? Phone(string? phone) =>
        phone is null ? null : phone.Length < 7 ? new string('*', phone.Length) : string.Concat(phone.AsSpan(0, 3), "****", phone.AsSpan(phone.Length - 4));

    /// <summary><c>张丽华</c> → <c>张**</c>: the surname stays, the given name does not.</summary>
    public static string Name(string name) => name.Length <= 1 ? name : string.Concat(name.AsSpan(0, 1), new string('*', name.Length - 1));
}
