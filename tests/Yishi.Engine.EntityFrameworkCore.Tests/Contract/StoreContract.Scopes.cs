using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Contract;

/// <summary>
/// Scopes (org-unit paths such as <c>/s1/c1/</c>) on every store: stored and read back on instances and bookmarks,
/// and the <see cref="InstanceQuery.ScopePrefix"/>, <see cref="InstanceQuery.Ids"/> and <see cref="BookmarkQuery.ScopePrefix"/> filters.
/// </summary>
public abstract partial class StoreContract<TProvider>
{
    /// <summary>A new instance like <see cref="NewInstance"/>, in <paramref name="scope"/>.</summary>
    private WorkflowInstance ScopedInstance(string? scope)
    {
        var template = NewInstance();
        return new WorkflowInstance
        {
            Id = template.Id,
            DefinitionId = template.DefinitionId,
            DefinitionVersion = template.DefinitionVersion,
            Status = template.Status,
            CorrelationKey = template.CorrelationKey,
            Scope = scope,
            CreatedAt = template.CreatedAt,
            UpdatedAt = template.UpdatedAt,
            Version = template.Version,
            State = template.State,
        };
    }

    /// <summary>Inserts an instance in <paramref name="scope"/> with one open bookmark carrying the same scope, as the engine writes them.</summary>
    private async Task<(WorkflowInstance Instance, Bookmark Bookmark)> SeedInAsync(string? scope, string? role = "mediator", string? user = null, DateTimeOffset? due = null)
    {
        var instance = ScopedInstance(scope);
        var bookmark = NewBookmark(instance, role, user, due) with { Scope = scope };
        var outcome = await CommitOneAsync(new WorkflowCommit
        {
            Instances = [new InstanceWrite(instance, 0)],
            CreatedBookmarks = [bookmark],
            Journal = [Entry(instance, 0)],
        });
        Assert.True(outcome.Committed, outcome.Error?.ToString());
        return (instance, bookmark);
    }

    private async Task<string[]> ScopedInstanceIdsAsync(InstanceQuery query) =>
        [.. (await Store.QueryInstancesAsync(query, Ct)).Select(i => i.Id)];

    private async Task<string[]> BookmarkIdsAsync(BookmarkQuery query) =>
        [.. (await Store.QueryBookmarksAsync(query, Ct)).Select(b => b.Id).Order(StringComparer.Ordinal)];

    private static string[] Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("/s1/c1/g1/")]
    [InlineData("/街道一/社区二/")]
    [InlineData(null)]
    public async Task Scope_RoundTrips_OnInstanceBookmarkJoinedReadAndSummary(string? scope)
    {
        var (instance, bookmark) = await SeedInAsync(scope);

        var found = await Store.FindInstanceAsync(instance.Id, Ct);
        var foundBookmark = await Store.FindBookmarkAsync(bookmark.Id, Ct);
        var joined = await Store.FindBookmarkWithInstanceAsync(bookmark.Id, Ct);
        var summary = Assert.Single(await Store.QueryInstancesAsync(new InstanceQuery { CorrelationKey = instance.CorrelationKey }, Ct));
        var inInbox = Assert.Single(await Store.QueryBookmarksAsync(new BookmarkQuery { InstanceId = instance.Id }, Ct));

        Assert.Equal(scope, found!.Scope);
        Assert.Equal(scope, foundBookmark!.Scope);
        Assert.Equal(scope, joined!.Value.Bookmark.Scope);
        Assert.Equal(scope, joined.Value.Instance.Scope);
        Assert.Equal(scope, summary.Scope);
        Assert.Equal(scope, inInbox.Scope);
        // The column added after the others does not shift the ones before it.
        Assert.Equal(instance.State.Variables.ToJsonString(), joined.Value.Instance.State.Variables.ToJsonString());
        Assert.Equal(bookmark.Payload!.ToJsonString(), joined.Value.Bookmark.Payload!.ToJsonString());
        Assert.Null(joined.Value.Bookmark.ConsumedAt);
        Assert.Equal(instance.Version, joined.Value.Instance.Version);
    }

    [Fact]
    public async Task Scope_IsKeptThroughLaterStepsAndClaims()
    {
        var (instance, bookmark) = await SeedInAsync("/s1/c1/g1/");
        var next = ScopedInstance("/s1/c1/g1/");
        var later = new WorkflowInstance
        {
            Id = instance.Id,
            DefinitionId = instance.DefinitionId,
            DefinitionVersion = instance.DefinitionVersion,
            Status = InstanceStatus.Waiting,
            CorrelationKey = instance.CorrelationKey,
            Scope = instance.Scope,
            CreatedAt = instance.CreatedAt,
            UpdatedAt = Clock.GetUtcNow(),
            Version = 2,
            State = next.State,
        };
        var second = NewBookmark(instance, role: "mediator") with { Scope = instance.Scope, ActivityId = "sign" };
        Assert.True((await CommitOneAsync(new WorkflowCommit
        {
            Instances = [new InstanceWrite(later, 1, StatusChanged: false)],
            ConsumedBookmarkIds = [bookmark.Id],
            CreatedBookmarks = [second],
            Journal = [Entry(instance, 1)],
        })).Committed);
        Assert.True((await CommitOneAsync(new WorkflowCommit { Claims = [new TaskClaim(second.Id, "u-wang")] })).Committed);

        var found = await Store.FindInstanceAsync(instance.Id, Ct);
        var claimed = await Store.FindBookmarkWithInstanceAsync(second.Id, Ct);

        Assert.Equal(2, found!.Version);
        Assert.Equal("/s1/c1/g1/", found.Scope);
        Assert.Equal("u-wang", claimed!.Value.Bookmark.UserId);
        Assert.Equal("/s1/c1/g1/", claimed.Value.Bookmark.Scope);
        Assert.Equal("/s1/c1/g1/", claimed.Value.Instance.Scope);
        Assert.Equal("/s1/c1/g1/", (await Store.FindBookmarkAsync(bookmark.Id, Ct))!.Scope);
    }

    [Fact]
    public async Task Scope_InstanceQuery_ScopePrefix_TakesTheSubtree_NotSiblingsParentsOrUnscoped()
    {
        var unit = await SeedInAsync("/s1/c1/");
        Clock.Advance(TimeSpan.FromMinutes(1));
        var subUnit = await SeedInAsync("/s1/c1/g1/");
        Clock.Advance(TimeSpan.FromMinutes(1));
        var c10 = await SeedInAsync("/s1/c10/");
        var sibling = await SeedInAsync("/s1/c2/");
        var street = await SeedInAsync("/s1/");
        var otherStreet = await SeedInAsync("/s2/c1/");
        var unscoped = await SeedInAsync(null);

        var ofUnit = await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = "/s1/c1/" });
        var ofSubUnit = await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = "/s1/c1/g1/" });
        var ofStreet = await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = "/s1/" });
        var ofRoot = await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = "/" });
        var ofNothing = await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = "/s9/" });
        var unfiltered = await ScopedInstanceIdsAsync(new InstanceQuery());

        // Newest first, like every instance list.
        Assert.Equal([subUnit.Instance.Id, unit.Instance.Id], ofUnit);
        Assert.Equal([subUnit.Instance.Id], ofSubUnit);
        Assert.Equal(Sorted(unit.Instance.Id, subUnit.Instance.Id, c10.Instance.Id, sibling.Instance.Id, street.Instance.Id), ofStreet.Order(StringComparer.Ordinal));
        Assert.Equal(Sorted(unit.Instance.Id, subUnit.Instance.Id, c10.Instance.Id, sibling.Instance.Id, street.Instance.Id, otherStreet.Instance.Id),
            ofRoot.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(unscoped.Instance.Id, ofRoot);
        Assert.Empty(ofNothing);
        Assert.Equal(7, unfiltered.Length);
    }

    [Fact]
    public async Task Scope_InstanceAndBookmarkQuery_ScopePrefix_IsCaseSensitive_LikeActorReaches()
    {
        var lower = await SeedInAsync("/s1/c1/");
        var upper = await SeedInAsync("/S1/C1/");
        var mixed = await SeedInAsync("/s1/C1/g1/");
        Assert.False(new Actor("u-c1", ["mediator"], "/s1/c1/").Reaches(upper.Instance.Scope));

        var instances = await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = "/s1/c1/" });
        var upperInstances = await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = "/S1/C1/" });
        var bookmarks = await BookmarkIdsAsync(new BookmarkQuery { Roles = ["mediator"], ScopePrefix = "/s1/c1/" });
        var inbox = await BookmarkIdsAsync(new BookmarkQuery { UserId = "u-c1", Roles = ["mediator"], ScopePrefix = "/s1/c1/" });

        Assert.Equal([lower.Instance.Id], instances);
        Assert.Equal([upper.Instance.Id], upperInstances);
        Assert.Equal([lower.Bookmark.Id], bookmarks);
        Assert.Equal([lower.Bookmark.Id], inbox);
        Assert.DoesNotContain(mixed.Instance.Id, instances);
    }

    [Fact]
    public async Task Scope_InstanceQuery_ScopePrefix_CombinesWithOtherFiltersAndPaging()
    {
        var done = await SeedInAsync("/s1/c1/");
        Assert.True((await CommitOneAsync(Step(done.Instance, 1, done.Bookmark.Id, 1))).Committed);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var waiting = await SeedInAsync("/s1/c1/g1/");
        Clock.Advance(TimeSpan.FromMinutes(1));
        var newest = await SeedInAsync("/s1/c1/g2/");
        var elsewhere = await SeedInAsync("/s1/c2/");

        var waitingInUnit = await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = "/s1/c1/", Status = InstanceStatus.Waiting });
        var completedInUnit = await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = "/s1/c1/", Status = InstanceStatus.Completed });
        var byKey = await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = "/s1/c1/", CorrelationKey = elsewhere.Instance.CorrelationKey });
        var secondPage = await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = "/s1/c1/", DefinitionId = "contract", Offset = 1, Limit = 1 });

        Assert.Equal([newest.Instance.Id, waiting.Instance.Id], waitingInUnit);
        Assert.Equal([done.Instance.Id], completedInUnit);
        Assert.Empty(byKey);
        Assert.Equal([waiting.Instance.Id], secondPage);
    }

    [Theory]
    [InlineData("/a_b/", "/axb/")]
    [InlineData("/p%/", "/pq/")]
    [InlineData("/p%/", "/p%x/")]
    [InlineData("/back\\/", "/backx/")]
    [InlineData("/[ab]/", "/a/")]
    public async Task Scope_InstanceAndBookmarkQuery_ScopePrefix_IsLiteral_NotALikePattern(string scope, string lookalike)
    {
        var target = await SeedInAsync(scope);
        var decoy = await SeedInAsync(lookalike);

        var instances = await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = scope });
        var bookmarks = await BookmarkIdsAsync(new BookmarkQuery { ScopePrefix = scope });
        var inbox = await BookmarkIdsAsync(new BookmarkQuery { UserId = "u-none", Roles = ["mediator"], ScopePrefix = scope });

        Assert.Equal([target.Instance.Id], instances);
        Assert.Equal([target.Bookmark.Id], bookmarks);
        Assert.Equal([target.Bookmark.Id], inbox);
        Assert.DoesNotContain(decoy.Instance.Id, instances);
    }

    [Fact]
    public async Task Scope_InstanceQuery_Ids_OnlyThose_EmptyDoesNotFilter()
    {
        var a = await SeedInAsync("/s1/c1/");
        Clock.Advance(TimeSpan.FromMinutes(1));
        var b = await SeedInAsync("/s1/c2/");
        Clock.Advance(TimeSpan.FromMinutes(1));
        var c = await SeedInAsync(null);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var d = await SeedInAsync("/s1/c1/g1/");

        var chosen = await ScopedInstanceIdsAsync(new InstanceQuery { Ids = [a.Instance.Id, c.Instance.Id, "no-such-instance"] });
        var one = await ScopedInstanceIdsAsync(new InstanceQuery { Ids = [b.Instance.Id] });
        var chosenInUnit = await ScopedInstanceIdsAsync(new InstanceQuery { Ids = [a.Instance.Id, b.Instance.Id, c.Instance.Id], ScopePrefix = "/s1/c1/" });
        var unknownOnly = await ScopedInstanceIdsAsync(new InstanceQuery { Ids = ["no-such-instance"] });
        var empty = await ScopedInstanceIdsAsync(new InstanceQuery { Ids = [] });
        var defaulted = await ScopedInstanceIdsAsync(new InstanceQuery { Ids = default });
        var many = await ScopedInstanceIdsAsync(new InstanceQuery { Ids = [.. Enumerable.Range(0, 300).Select(i => "missing-" + i), d.Instance.Id] });

        Assert.Equal([c.Instance.Id, a.Instance.Id], chosen);
        Assert.Equal([b.Instance.Id], one);
        Assert.Equal([a.Instance.Id], chosenInUnit);
        Assert.Empty(unknownOnly);
        Assert.Equal([d.Instance.Id, c.Instance.Id, b.Instance.Id, a.Instance.Id], empty);
        Assert.Equal(empty, defaulted);
        Assert.Equal([d.Instance.Id], many);
    }

    [Fact]
    public async Task Scope_BookmarkQuery_ScopePrefixWithoutUser_IsRolesAndScope()
    {
        var now = Clock.GetUtcNow();
        var unit = await SeedInAsync("/s1/c1/", due: now.AddDays(2));
        var subUnit = await SeedInAsync("/s1/c1/g1/", due: now.AddDays(1));
        var c10 = await SeedInAsync("/s1/c10/");
        var sibling = await SeedInAsync("/s1/c2/");
        var unscoped = await SeedInAsync(null);
        var reviewer = await SeedInAsync("/s1/c1/", role: "reviewer");
        var assigned = await SeedInAsync("/s1/c1/", role: null, user: "u-li");
        var done = await SeedInAsync("/s1/c1/");
        Assert.True((await CommitOneAsync(Step(done.Instance, 1, done.Bookmark.Id, 1))).Committed);

        var mediatorsOfUnit = await Store.QueryBookmarksAsync(new BookmarkQuery { Roles = ["mediator"], ScopePrefix = "/s1/c1/" }, Ct);
        var anyRoleInUnit = await BookmarkIdsAsync(new BookmarkQuery { ScopePrefix = "/s1/c1/" });
        var twoRolesInSubUnit = await BookmarkIdsAsync(new BookmarkQuery { Roles = ["mediator", "reviewer"], ScopePrefix = "/s1/c1/g1/" });
        var reviewersOfStreet = await BookmarkIdsAsync(new BookmarkQuery { Roles = ["reviewer"], ScopePrefix = "/s1/" });
        var inUnitOfInstance = await BookmarkIdsAsync(new BookmarkQuery { ScopePrefix = "/s1/c1/", InstanceId = sibling.Instance.Id });
        var mediatorsEverywhere = await BookmarkIdsAsync(new BookmarkQuery { Roles = ["mediator"] });

        // Earliest due first within the filter.
        Assert.Equal([subUnit.Bookmark.Id, unit.Bookmark.Id], mediatorsOfUnit.Select(b => b.Id));
        Assert.All(mediatorsOfUnit, b => Assert.StartsWith("/s1/c1/", b.Scope, StringComparison.Ordinal));
        Assert.Equal(Sorted(unit.Bookmark.Id, subUnit.Bookmark.Id, reviewer.Bookmark.Id, assigned.Bookmark.Id), anyRoleInUnit);
        Assert.Equal([subUnit.Bookmark.Id], twoRolesInSubUnit);
        Assert.Equal([reviewer.Bookmark.Id], reviewersOfStreet);
        Assert.Empty(inUnitOfInstance);
        // Without a prefix nothing changes: unscoped and every unit's tasks are there.
        Assert.Equal(Sorted(unit.Bookmark.Id, subUnit.Bookmark.Id, c10.Bookmark.Id, sibling.Bookmark.Id, unscoped.Bookmark.Id), mediatorsEverywhere);
    }

    [Fact]
    public async Task Scope_BookmarkQuery_ScopePrefixWithUser_AssignedAnywhere_RoleTasksOnlyInsideThePrefix()
    {
        var unit = await SeedInAsync("/s1/c1/");
        var subUnit = await SeedInAsync("/s1/c1/g1/");
        var c10 = await SeedInAsync("/s1/c10/");
        var unscopedRole = await SeedInAsync(null);
        var reviewer = await SeedInAsync("/s1/c1/", role: "reviewer");
        var mineInUnit = await SeedInAsync("/s1/c1/", role: null, user: "u-li");
        var mineElsewhere = await SeedInAsync("/s2/c5/", role: null, user: "u-li");
        var mineUnscoped = await SeedInAsync(null, role: null, user: "u-li");
        var othersElsewhere = await SeedInAsync("/s2/c5/", role: null, user: "u-wang");
        var mineDone = await SeedInAsync("/s2/c5/", role: null, user: "u-li");
        Assert.True((await CommitOneAsync(Step(mineDone.Instance, 1, mineDone.Bookmark.Id, 1))).Committed);

        var inbox = await BookmarkIdsAsync(new BookmarkQuery { UserId = "u-li", Roles = ["mediator"], ScopePrefix = "/s1/c1/" });
        var inboxWithoutPrefix = await BookmarkIdsAsync(new BookmarkQuery { UserId = "u-li", Roles = ["mediator"] });
        var mineOnly = await BookmarkIdsAsync(new BookmarkQuery { UserId = "u-li", ScopePrefix = "/s1/c1/" });
        var strangerInbox = await BookmarkIdsAsync(new BookmarkQuery { UserId = "u-nobody", Roles = ["mediator"], ScopePrefix = "/s1/c1/" });

        Assert.Equal(Sorted(unit.Bookmark.Id, subUnit.Bookmark.Id, mineInUnit.Bookmark.Id, mineElsewhere.Bookmark.Id, mineUnscoped.Bookmark.Id), inbox);
        Assert.DoesNotContain(c10.Bookmark.Id, inbox);
        Assert.DoesNotContain(unscopedRole.Bookmark.Id, inbox);
        Assert.DoesNotContain(reviewer.Bookmark.Id, inbox);
        Assert.DoesNotContain(othersElsewhere.Bookmark.Id, inbox);
        Assert.Equal(Sorted(unit.Bookmark.Id, subUnit.Bookmark.Id, c10.Bookmark.Id, unscopedRole.Bookmark.Id, mineInUnit.Bookmark.Id, mineElsewhere.Bookmark.Id,
            mineUnscoped.Bookmark.Id), inboxWithoutPrefix);
        Assert.Equal(Sorted(mineInUnit.Bookmark.Id, mineElsewhere.Bookmark.Id, mineUnscoped.Bookmark.Id), mineOnly);
        Assert.Equal(Sorted(unit.Bookmark.Id, subUnit.Bookmark.Id), strangerInbox);
    }

    [Fact]
    public async Task Scope_ThroughTheRuntime_IsStoredAndGuardsWhoActs()
    {
        await using var runtime = await RuntimeAsync();
        var unitMediator = new Actor("u-c1", ["mediator"], "/s1/c1/");
        var siblingMediator = new Actor("u-c2", ["mediator"], "/s1/c2/");
        var c10Mediator = new Actor("u-c10", ["mediator"], "/s1/c10/");

        var started = await runtime.StartAsync(new StartRequest("hello-mediation", CorrelationKey: "T-9", Scope: "/s1/c1/g1/"), Ct);
        var unscoped = await runtime.StartAsync(new StartRequest("hello-mediation"), Ct);
        var review = started.Bookmarks[0].Id;

        var instance = await Store.FindInstanceAsync(started.InstanceId!, Ct);
        var bookmark = await Store.FindBookmarkWithInstanceAsync(review, Ct);
        Assert.Equal("/s1/c1/g1/", instance!.Scope);
        Assert.Equal("/s1/c1/g1/", bookmark!.Value.Bookmark.Scope);
        Assert.Equal("/s1/c1/g1/", bookmark.Value.Instance.Scope);
        Assert.Equal([started.InstanceId!], await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = "/s1/c1/" }));
        Assert.Equal([review], await BookmarkIdsAsync(new BookmarkQuery { Roles = ["mediator"], ScopePrefix = "/s1/c1/" }));
        Assert.Equal([unscoped.Bookmarks[0].Id], await BookmarkIdsAsync(new BookmarkQuery { InstanceId = unscoped.InstanceId }));
        Assert.Null((await Store.FindInstanceAsync(unscoped.InstanceId!, Ct))!.Scope);

        var bySibling = await runtime.ResumeAsync(new ResumeRequest(review, new ResumeInput("accept"), siblingMediator), Ct);
        var claimBySibling = await runtime.ClaimAsync(review, siblingMediator, Ct);
        var cancelByC10 = await runtime.CancelAsync(started.InstanceId!, c10Mediator, cancellationToken: Ct);
        var unscopedByUnit = await runtime.ResumeAsync(new ResumeRequest(unscoped.Bookmarks[0].Id, new ResumeInput("accept"), unitMediator), Ct);
        Assert.Equal(StepStatus.NotFound, bySibling.Status);
        Assert.Equal(StepStatus.NotFound, claimBySibling.Status);
        Assert.Equal(StepStatus.NotFound, cancelByC10.Status);
        Assert.Equal(StepStatus.NotFound, unscopedByUnit.Status);
        Assert.Equal(1, (await Store.FindInstanceAsync(started.InstanceId!, Ct))!.Version);
        Assert.Null((await Store.FindBookmarkAsync(review, Ct))!.UserId);

        var claimed = await runtime.ClaimAsync(review, unitMediator, Ct);
        var accepted = await runtime.ResumeAsync(new ResumeRequest(review, new ResumeInput("accept"), unitMediator with { Scope = "/s1/c2/" }), Ct);
        Assert.True(claimed.Succeeded, $"{claimed.Status} {claimed.Message}");
        Assert.True(accepted.Succeeded, $"{accepted.Status} {accepted.Message}");
        var sign = Assert.Single(accepted.Bookmarks);
        Assert.Equal("/s1/c1/g1/", sign.Scope);
        Assert.Equal("/s1/c1/g1/", (await Store.FindBookmarkAsync(sign.Id, Ct))!.Scope);

        var signed = await runtime.ResumeAsync(new ResumeRequest(sign.Id, new ResumeInput(), unitMediator), Ct);
        Assert.Equal(InstanceStatus.Completed, signed.InstanceStatus);
        var summary = Assert.Single(await Store.QueryInstancesAsync(new InstanceQuery { ScopePrefix = "/s1/c1/g1/", Status = InstanceStatus.Completed }, Ct));
        Assert.Equal("/s1/c1/g1/", summary.Scope);
        Assert.Equal("T-9", summary.CorrelationKey);
    }

    [Fact]
    public async Task Scope_ThroughTheRuntime_LongScopeUpToTheColumnSize_RoundTrips()
    {
        await using var runtime = await RuntimeAsync();
        // 400 characters: the column's size.
        var scope = "/" + string.Concat(Enumerable.Range(0, 99).Select(i => $"u{i:D2}/")) + "ab/";
        Assert.Equal(400, scope.Length);

        var started = await runtime.StartAsync(new StartRequest("hello-mediation", Scope: scope), Ct);

        Assert.True(started.Succeeded, $"{started.Status} {started.Message}");
        Assert.Equal(scope, (await Store.FindInstanceAsync(started.InstanceId!, Ct))!.Scope);
        Assert.Equal(scope, (await Store.FindBookmarkAsync(started.Bookmarks[0].Id, Ct))!.Scope);
        Assert.Equal([started.InstanceId!], await ScopedInstanceIdsAsync(new InstanceQuery { ScopePrefix = scope[..200] }));
    }
}
