using System.Collections.Immutable;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Contract;

public abstract partial class StoreContract<TProvider>
{
    [Fact]
    public async Task QueryBookmarks_Inbox_MatchesUserOrRoles_OnlyOpen_EarliestDueFirst()
    {
        var now = Clock.GetUtcNow();
        var mediatorLate = await SeedAsync(role: "mediator", due: now.AddDays(5));
        var mediatorSoon = await SeedAsync(role: "mediator", due: now.AddDays(1));
        var mine = await SeedAsync(role: null, user: "u-li");
        var other = await SeedAsync(role: "reviewer");
        var done = await SeedAsync(role: "mediator", due: now.AddHours(1));
        Assert.True((await CommitOneAsync(Step(done.Instance, 1, done.Bookmark.Id, 1))).Committed);

        var inbox = await Store.QueryBookmarksAsync(new BookmarkQuery { UserId = "u-li", Roles = ["mediator"] }, Ct);
        var roleOnly = await Store.QueryBookmarksAsync(new BookmarkQuery { Roles = ["reviewer"] }, Ct);
        var userOnly = await Store.QueryBookmarksAsync(new BookmarkQuery { UserId = "u-li" }, Ct);

        Assert.Equal([mediatorSoon.Bookmark.Id, mediatorLate.Bookmark.Id, mine.Bookmark.Id], inbox.Select(b => b.Id));
        Assert.Equal(other.Bookmark.Id, Assert.Single(roleOnly).Id);
        Assert.Equal(mine.Bookmark.Id, Assert.Single(userOnly).Id);
    }

    [Fact]
    public async Task QueryBookmarks_DueBeforeKindInstanceAndMessage()
    {
        var now = Clock.GetUtcNow();
        var soon = await SeedAsync(due: now.AddHours(2));
        await SeedAsync(due: now.AddDays(2));
        var waiting = NewInstance();
        var messageWait = NewBookmark(waiting, role: null, kind: BookmarkKind.Message) with { MessageName = "hotline.update", CorrelationKey = "12345-001" };
        Assert.True((await CommitOneAsync(new WorkflowCommit { Instances = [new InstanceWrite(waiting, 0)], CreatedBookmarks = [messageWait] })).Committed);

        var overdueSoon = await Store.QueryBookmarksAsync(new BookmarkQuery { DueBefore = now.AddDays(1) }, Ct);
        var messages = await Store.QueryBookmarksAsync(new BookmarkQuery { Kind = BookmarkKind.Message, MessageName = "hotline.update", CorrelationKey = "12345-001" }, Ct);
        var wrongKey = await Store.QueryBookmarksAsync(new BookmarkQuery { MessageName = "hotline.update", CorrelationKey = "other" }, Ct);
        var ofInstance = await Store.QueryBookmarksAsync(new BookmarkQuery { InstanceId = soon.Instance.Id }, Ct);

        Assert.Equal(soon.Bookmark.Id, Assert.Single(overdueSoon).Id);
        Assert.Equal(messageWait.Id, Assert.Single(messages).Id);
        Assert.Empty(wrongKey);
        Assert.Equal(soon.Bookmark.Id, Assert.Single(ofInstance).Id);
    }

    [Fact]
    public async Task QueryBookmarks_Limit_IsApplied()
    {
        for (var i = 0; i < 5; i++)
        {
            await SeedAsync(role: "officer", due: Clock.GetUtcNow().AddMinutes(i));
        }

        var page = await Store.QueryBookmarksAsync(new BookmarkQuery { Roles = ImmutableArray.Create("officer"), Limit = 3 }, Ct);

        Assert.Equal(3, page.Count);
    }
}
