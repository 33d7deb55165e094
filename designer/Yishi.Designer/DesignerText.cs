namespace Yishi.Designer;

/// <summary>
/// The designer's language for this session: zh-CN unless the user switched to English. One place decides, so every
/// component shows the same language; definitions carry their own texts in both.
/// </summary>
public sealed class DesignerText
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    public string Locale { get; private set; } = Chinese;

    public event Action? Changed;

    public bool IsEnglish => Locale == English;

    /// <summary>The Chinese or the English text, by the session's language.</summary>
    public string T(string zhCn, string en) => IsEnglish ? en : zhCn;

    public void Switch(string locale)
    {
        Locale = locale == English ? English : Chinese;
        Changed?.Invoke();
    }
}
