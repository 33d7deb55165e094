namespace Yishi.Designer;

/// <summary>
/// The web pages' language for this request or session: zh-CN unless the person chose English. One place decides, so
/// every component shows the same language; definitions carry their own texts in both. The choice lives in a cookie
/// (<see cref="CookieName"/>), set by <c>/language/{locale}</c>, so live pages and plain server-rendered ones agree.
/// </summary>
public sealed class PageText
{
    public const string Chinese = "zh-CN";
    public const string English = "en";
    public const string CookieName = "yishi-locale";

    public string Locale { get; private set; } = Chinese;

    public event Action? Changed;

    public bool IsEnglish => Locale == English;

    /// <summary>The Chinese or the English text, by the session's language.</summary>
    public string T(string zhCn, string en) => IsEnglish ? en : zhCn;

    public void Switch(string locale)
    {
        var chosen = locale == English ? English : Chinese;
        if (chosen == Locale)
        {
            return;
        }

        Locale = chosen;
        Changed?.Invoke();
    }

    /// <summary>The language a cookie's value names; zh-CN for anything else.</summary>
    public static string FromCookie(string? value) => value == English ? English : Chinese;

    /// <summary>The address that switches to the other language and comes back to <paramref name="returnPath"/> (base-relative).</summary>
    public string SwitchHref(string returnPath) =>
        $"language/{(IsEnglish ? Chinese : English)}?returnUrl={Uri.EscapeDataString("/" + returnPath.TrimStart('/'))}";
}
