using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Durability;

public sealed class CrashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KilledUnderLoad_EveryAcknowledgedStepSurvives_AndNoInstanceIsHalfWritten()
    {
        var file = TestDatabases.NewSqliteFile();
        var acks = file + ".acks";
        using (var host = new TestHostProcess("load", "Sqlite", $"Data Source={file}", acks))
        {
            await host.WaitUntilReadyAsync(TimeSpan.FromMinutes(2), Ct);
            host.Kill();
        }

        var database = new YishiDatabase(TestDatabases.Sqlite(file));
        var store = new SqlWorkflowStore(database);
        var acknowledged = (await File.ReadAllLinesAsync(acks, Ct)).Where(l => l.Length > 0).Select(l => l.Split(' ')).ToList();
        Assert.True(acknowledged.Count >= 200, $"Only {acknowledged.Count} steps were acknowledged before the kill.");

        foreach (var step in acknowledged)
        {
            var instance = await store.FindInstanceAsync(step[1], Ct);
            Assert.True(instance is not null, $"Acknowledged start of {step[1]} is lost.");
            var journal = await store.ReadJournalAsync(step[1], cancellationToken: Ct);
            var resumes = journal.Count(e => e.Kind == JournalKind.BookmarkResumed);
            switch (step[0])
            {
                case "R1":
                    Assert.True(resumes >= 1, $"Acknowledged first resume of {step[1]} is lost.");
                    break;
                case "R2":
                    Assert.Equal(InstanceStatus.Completed, instance.Status);
                    break;
            }
        }

        await AssertEveryInstanceIsWholeAsync(database, store);
        SqliteConnection.ClearAllPools();
    }

    /// <summary>Each instance's journal, bookmarks and tokens agree: no step was applied in part.</summary>
    private static async Task AssertEveryInstanceIsWholeAsync(YishiDatabase database, SqlWorkflowStore store)
    {
        await using var context = database.CreateContext();
        var ids = await context.Instances.Select(i => i.Id).ToListAsync(Ct);
        Assert.NotEmpty(ids);
        foreach (var id in ids)
        {
            var instance = (await store.FindInstanceAsync(id, Ct))!;
            var journal = await store.ReadJournalAsync(id, cancellationToken: Ct);
            Assert.Equal(instance.State.NextJournalSequence, journal.Count);
            Assert.Equal(Enumerable.Range(0, journal.Count).Select(i => (long)i), journal.Select(e => e.Sequence));
            var open = (await store.QueryBookmarksAsync(new BookmarkQuery { InstanceId = id }, Ct)).Select(b => b.Id).Order(StringComparer.Ordinal);
            var waiting = instance.State.Tokens.Select(t => t.BookmarkId).OfType<string>().Order(StringComparer.Ordinal);
            Assert.Equal(waiting, open);
            Assert.Equal(instance.Status == InstanceStatus.Completed, instance.State.Tokens.Count == 0);
            Assert.Equal(instance.Status == InstanceStatus.Completed, journal[^1].Kind == JournalKind.InstanceCompleted);
        }
    }
}
