using Yishi.Engine.Bookmarks;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Flow;

public sealed class DelayTests
{
    private static string Wait(string duration) => $$"""
        {
          "definitionId": "cool-off",
          "name": "Cooling-off period",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "wait", "type": "Delay", "properties": { "duration": {{duration}} } },
            { "id": "end", "type": "End" }
          ],
          "connections": [ { "from": "start", "to": "wait" }, { "from": "wait", "to": "end" } ]
        }
        """;

    [Theory]
    [InlineData("\"P3D\"", 3 * 24 * 60)]
    [InlineData("\"PT90M\"", 90)]
    [InlineData("{ \"days\": 2 }", 2 * 24 * 60)]
    [InlineData("{ \"hours\": 5 }", 5 * 60)]
    public async Task Delay_ElapsedDuration_CreatesTimerDueAfterIt(string duration, int minutes)
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Wait(duration));

        var started = await engine.StartAsync("cool-off");

        var timer = Assert.Single(started.Bookmarks);
        Assert.Equal(BookmarkKind.Timer, timer.Kind);
        Assert.Equal(TestEngine.Epoch.AddMinutes(minutes), timer.DueAt);
        Assert.Equal(InstanceStatus.Waiting, started.InstanceStatus);
    }

    [Fact]
    public async Task Delay_WorkingDaysFromFriday_SkipsTheWeekend()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Wait("""{ "workingDays": 2 }"""));

        var started = await engine.StartAsync("cool-off");

        // Friday 10:00 in China + 2 working days = Tuesday 10:00 in China.
        Assert.Equal(DayOfWeek.Friday, TestEngine.Epoch.ToOffset(TimeSpan.FromHours(8)).DayOfWeek);
        Assert.Equal(new DateTimeOffset(2025, 3, 11, 2, 0, 0, TimeSpan.Zero), Assert.Single(started.Bookmarks).DueAt);
    }

    [Fact]
    public async Task Delay_WorkingHoursLateOnFriday_ContinuesOnMonday()
    {
        // Friday 16:00 in China: one hour left that day, the other two on Monday morning.
        await using var engine = new TestEngine(now: new DateTimeOffset(2025, 3, 7, 8, 0, 0, TimeSpan.Zero));
        await engine.PublishAsync(Wait("""{ "workingHours": 3 }"""));

        var started = await engine.StartAsync("cool-off");

        Assert.Equal(new DateTimeOffset(2025, 3, 10, 11, 0, 0, TimeSpan.FromHours(8)), Assert.Single(started.Bookmarks).DueAt);
    }

    [Fact]
    public async Task Timer_DueAndResumed_ContinuesTheInstance()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Wait("\"P1D\""));
        var started = await engine.StartAsync("cool-off");
        var notYetDue = await engine.Runtime.QueryBookmarksAsync(new BookmarkQuery { Kind = BookmarkKind.Timer, DueBefore = engine.Clock.GetUtcNow() }, TestEngine.Cancellation);
        engine.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var due = await engine.Runtime.QueryBookmarksAsync(new BookmarkQuery { Kind = BookmarkKind.Timer, DueBefore = engine.Clock.GetUtcNow() }, TestEngine.Cancellation);

        var fired = await engine.CompleteAsync(Assert.Single(due).Id);

        Assert.Empty(notYetDue);
        Assert.Equal(started.Bookmarks[0].Id, due[0].Id);
        Assert.Equal(InstanceStatus.Completed, fired.InstanceStatus);
        Assert.Equal(engine.Clock.GetUtcNow(), (await engine.InstanceAsync(started.InstanceId!)).FinishedAt);
    }

    [Fact]
    public async Task HumanTask_DueInWorkingDays_SetsDeadline()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync("""
            {
              "definitionId": "deadline",
              "name": "Task with a deadline",
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "reply", "type": "HumanTask", "properties": { "title": "Reply", "assignee": { "role": "clerk" }, "due": { "workingDays": 5 }, "priority": "high" } },
                { "id": "end", "type": "End" }
              ],
              "connections": [ { "from": "start", "to": "reply" }, { "from": "reply", "to": "end" } ]
            }
            """);

        var started = await engine.StartAsync("deadline");

        var task = Assert.Single(started.Bookmarks);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 2, 0, 0, TimeSpan.Zero), task.DueAt);
        Assert.Equal("high", task.Payload!["priority"]!.GetValue<string>());
    }
}
