using Yishi.Engine.Journal;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Time;

namespace Yishi.Engine.Tests.Timers;

/// <summary>An administrator changes a day in the calendar; open tasks' working-day deadlines across it keep their working days.</summary>
public sealed class DeadlineRecountTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>A calendar an administrator edits: the engine always counts with the current one.</summary>
    private sealed class EditedCalendar : IWorkingCalendar
    {
        public WorkingCalendar Current { get; set; } = WorkingCalendar.China;

        public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days) => Current.AddWorkingDays(start, days);

        public DateTimeOffset AddWorkingHours(DateTimeOffset start, int hours) => Current.AddWorkingHours(start, hours);

        public int CountWorkingDays(DateOnly from, DateOnly to) => Current.CountWorkingDays(from, to);

        public DateOnly DayOf(DateTimeOffset instant) => Current.DayOf(instant);

        /// <summary>Changes a day; answers the calendar as it was.</summary>
        public WorkingCalendar Change(DateOnly day, bool working)
        {
            var before = Current;
            Current = Current.With(Current.Holidays.With([(day, working)]));
            return before;
        }
    }

    private static string Handle(string id, string due) => $$"""
        { "definitionId": "{{id}}", "name": "Handle",
          "activities": [ { "id": "start", "type": "Start" },
            { "id": "handle", "type": "HumanTask", "properties": { "title": "Handle", "assignee": { "role": "mediator" }, "due": {{due}} } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "handle" }, { "from": "handle", "to": "end" } ] }
        """;

    [Fact]
    public async Task ADayOffInTheSpan_MovesAWorkingDayDeadlineOneWorkingDayLater_NotElapsedOrWorkingHourDeadlines()
    {
        var calendar = new EditedCalendar();
        await using var engine = new TestEngine(calendar: calendar);
        await engine.PublishAsync(Handle("days", """{ "workingDays": 5 }"""));
        await engine.PublishAsync(Handle("elapsed", "\"P7D\""));
        await engine.PublishAsync(Handle("hours", """{ "workingHours": 24 }"""));
        // From Friday 7 March 2025, 10:00 in China: due Friday the 14th; 7 days; Wednesday the 12th, 10:00.
        var days = (await engine.StartAsync("days")).Bookmarks[0];
        var elapsed = (await engine.StartAsync("elapsed")).Bookmarks[0];
        var hours = (await engine.StartAsync("hours")).Bookmarks[0];
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 10, 0, 0, China), days.DueAt);

        var before = calendar.Change(new DateOnly(2025, 3, 12), working: false);
        var moved = await engine.Runtime.RecountDeadlinesAsync(before, new DateOnly(2025, 3, 12), cancellationToken: TestEngine.Cancellation);

        var move = Assert.Single(moved);
        Assert.Equal((days.Id, new DateTimeOffset(2025, 3, 17, 10, 0, 0, China)), (move.BookmarkId, move.To));
        Assert.Equal(move.To, (await engine.Store.FindBookmarkAsync(days.Id, TestEngine.Cancellation))!.DueAt);
        Assert.Equal(elapsed.DueAt, (await engine.Store.FindBookmarkAsync(elapsed.Id, TestEngine.Cancellation))!.DueAt);
        Assert.Equal(hours.DueAt, (await engine.Store.FindBookmarkAsync(hours.Id, TestEngine.Cancellation))!.DueAt);
        var entry = Assert.Single(await engine.JournalAsync(days.InstanceId), e => e.Kind == JournalKind.DeadlineRecounted);
        Assert.Equal(days.Id, entry.BookmarkId);
        // The warnings start again from the new deadline: 50 % of Friday 7th 10:00 → Monday 17th 10:00 is Wednesday 12th 10:00.
        Assert.Equal(new DateTimeOffset(2025, 3, 12, 10, 0, 0, China), (await engine.Store.FindBookmarkAsync(days.Id, TestEngine.Cancellation))!.AlarmAt);
    }

    [Fact]
    public async Task ASaturdayWorked_MovesItOneWorkingDayEarlier_AndADayOutsideTheSpanMovesNothing()
    {
        var calendar = new EditedCalendar();
        await using var engine = new TestEngine(calendar: calendar);
        await engine.PublishAsync(Handle("days", """{ "workingDays": 5 }"""));
        var days = (await engine.StartAsync("days")).Bookmarks[0];

        var outside = await engine.Runtime.RecountDeadlinesAsync(calendar.Change(new DateOnly(2025, 3, 20), working: false), new DateOnly(2025, 3, 20),
            cancellationToken: TestEngine.Cancellation);
        var saturday = await engine.Runtime.RecountDeadlinesAsync(calendar.Change(new DateOnly(2025, 3, 8), working: true), new DateOnly(2025, 3, 8),
            cancellationToken: TestEngine.Cancellation);

        Assert.Empty(outside);
        Assert.Equal(new DateTimeOffset(2025, 3, 13, 10, 0, 0, China), Assert.Single(saturday).To);
    }
}
