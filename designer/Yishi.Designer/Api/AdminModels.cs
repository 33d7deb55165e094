namespace Yishi.Designer.Api;

/// <summary>A user as admins see them: name and phone masked.</summary>
public sealed record AdminUser(string Id, string UserName, string DisplayName, string? Phone, string OrgUnitId, IReadOnlyList<string> Roles, bool Verified, bool LockedOut);

/// <summary>A new user as the form collects it.</summary>
public sealed record NewUser(string UserName, string DisplayName, string Password, string OrgUnitId, string[] Roles, string? PhoneNumber);

/// <summary>An org unit: street, community, village or grid, with its path from the top.</summary>
public sealed record AdminOrgUnit(string Id, string? ParentId, string Kind, string Name, string? NameEn, string Path);

/// <summary>A new org unit as the form collects it.</summary>
public sealed record NewOrgUnit(string Id, string? ParentId, string Kind, string Name, string NameEn);

/// <summary>An API key without its secret.</summary>
public sealed record AdminApiKey(string Id, string Name, string OrgUnitId, IReadOnlyList<string> Permissions, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A key just made: the only time its secret is shown.</summary>
public sealed record CreatedApiKey(string Id, string Key, string Name, string OrgUnitId, IReadOnlyList<string> Permissions);

/// <summary>A holiday in a shipped year.</summary>
public sealed record CalendarHoliday(string Name, DateOnly From, DateOnly To);

/// <summary>A year of the State Council's arrangements.</summary>
public sealed record CalendarYear(int Year, string Source, IReadOnlyList<CalendarHoliday> Holidays, IReadOnlyList<DateOnly> Workdays);

/// <summary>A day an administrator changed (for everyone when <see cref="OrgUnitId"/> is empty).</summary>
public sealed record CalendarChangedDay(string OrgUnitId, DateOnly Date, string Kind, string Name, DateTimeOffset ChangedAt);

/// <summary>The calendar deadlines count with.</summary>
public sealed record CalendarView(string TimeZone, IReadOnlyList<CalendarYear> Years, IReadOnlyList<int> Uncovered, IReadOnlyList<CalendarChangedDay> Days);

/// <summary>The answer to a change of a day (or its undoing): how many open deadlines moved with it.</summary>
public sealed record CalendarDayResult(string OrgUnitId, DateOnly Date, string? Kind, string? Name, DateTimeOffset ChangedAt, int DeadlinesMoved);

/// <summary>A notification delivery (SMS, email): address masked, text not shown.</summary>
public sealed record AdminDelivery(string Id, string Channel, string Status, string Address, string TemplateKey, int TemplateVersion, string? InstanceId,
    int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? SentAt);

/// <summary>A notification channel as configured, with its deliveries of the last 7 days by status.</summary>
public sealed record AdminChannel(string Name, bool Enabled, string? Server, string? Sender, int? PerSecond, bool QuietHours, IReadOnlyDictionary<string, int> Recent);

/// <summary>The notification settings admins see (no secrets).</summary>
public sealed record AdminChannels(TimeOnly QuietFrom, TimeOnly QuietUntil, int MaxAttempts, IReadOnlyList<AdminChannel> Channels);

/// <summary>What a registry import did.</summary>
public sealed record ResidentImportResult(int Created, int Updated, int HouseholdsCreated);

/// <summary>A bad cell of a registry file: where, and what is wrong.</summary>
public sealed record ResidentImportError(int Line, int Column, string Field, string Message);

/// <summary>A registry import's answer: the result, or the refusal with every bad cell (nothing is imported then).</summary>
public sealed record ResidentImportAnswer(ResidentImportResult? Result, Refusal? Refusal, IReadOnlyList<ResidentImportError> Errors);
