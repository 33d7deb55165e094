using System.Text.Json.Nodes;
using Yishi.Designer.Api;
using Yishi.Designer.Canvas;
using Yishi.Engine.Definitions;

namespace Yishi.Designer.Tests.Canvas;

/// <summary>The document the canvas edits: every gesture a change the engine's format can hold, every change undoable.</summary>
public sealed class WorkflowDocumentTests
{
    private static readonly ActivityType Task = new("HumanTask", "People", LocalizedText.Of("人工任务", "Task"), null,
        [new PropertyType("priority", "Choice", LocalizedText.Of("优先级", "Priority"), true, null, null, ["low", "normal"], "\"normal\"")], null, "outcomes", true);

    private static readonly ActivityType End = new("End", "Flow", LocalizedText.Of("结束", "End"), null, [], [], null, false);

    private static WorkflowDocument Empty() => new(new JsonObject
    {
        ["definitionId"] = "t",
        ["name"] = "t",
        ["activities"] = new JsonArray(new JsonObject { ["id"] = "start", ["type"] = "Start" }),
    });

    [Fact]
    public void Add_GivesAFreeIdInTheEnginesForm_WithRequiredDefaults_AndAPosition()
    {
        var document = Empty();

        var first = document.Add(Task, 100.4, 80);
        var second = document.Add(Task, 300, 80);

        Assert.Equal(("human-task", "human-task-2"), (first, second));
        Assert.Equal("normal", document.Activity(first)!["properties"]!["priority"]!.GetValue<string>());
        Assert.Equal(100, document.Layout[first]!["x"]!.GetValue<double>());
        Assert.True(document.Dirty);
    }

    [Fact]
    public void Connect_AnOutcomeTwice_KeepsOnlyTheNewest_AndDoneIsWrittenWithoutAnOutcome()
    {
        var document = Empty();
        var task = document.Add(Task, 0, 0);
        var end = document.Add(End, 0, 0);
        var other = document.Add(End, 0, 0);

        document.Connect("start", "done", task);
        document.Connect(task, "accept", end);
        document.Connect(task, "accept", other);
        document.Connect(task, task == "x" ? "" : "accept", task);

        Assert.Equal(["start/done/human-task", "human-task/accept/end-2"], document.Connections.OfType<JsonObject>().Select(WorkflowDocument.KeyOf));
        Assert.Null(document.Connections[0]!["outcome"]);
    }

    [Fact]
    public void Delete_AnActivity_TakesItsConnectionsAndPositionWithIt_AndUndoBringsAllBack()
    {
        var document = Empty();
        var task = document.Add(Task, 10, 10);
        var end = document.Add(End, 20, 20);
        document.Connect("start", "done", task);
        document.Connect(task, "accept", end);
        var before = document.ToJson();

        document.Delete([task], []);

        Assert.Null(document.Activity(task));
        Assert.Empty(document.Connections);
        Assert.False(document.Layout.ContainsKey(task));
        document.Undo();
        Assert.Equal(before, document.ToJson());
        document.Redo();
        Assert.Null(document.Activity(task));
    }

    [Fact]
    public void CopyAndPaste_MakesNewIds_KeepsTheConnectionsBetweenTheCopies_AndOffsetsThem()
    {
        var document = Empty();
        var task = document.Add(Task, 10, 10);
        var end = document.Add(End, 200, 10);
        document.Connect(task, "accept", end);
        document.Connect("start", "done", task);

        var pasted = document.Paste(document.Copy([task, end]));

        Assert.Equal(["human-task-2", "end-2"], pasted);
        Assert.Contains(document.Connections.OfType<JsonObject>(), c => WorkflowDocument.KeyOf(c) == "human-task-2/accept/end-2");
        Assert.DoesNotContain(document.Connections.OfType<JsonObject>(), c => WorkflowDocument.KeyOf(c) == "start/done/human-task-2");
        Assert.Equal(50, document.Layout["human-task-2"]!["x"]!.GetValue<double>());
    }

    [Fact]
    public void AutoLayout_PutsEachActivityOneColumnFurtherThanTheOneBeforeIt()
    {
        var document = Empty();
        var task = document.Add(Task, 500, 500);
        var end = document.Add(End, 0, 0);
        document.Connect("start", "done", task);
        document.Connect(task, "accept", end);

        document.AutoLayout();

        Assert.Equal([40.0, 260.0, 480.0], new[] { "start", task, end }.Select(id => document.Layout[id]!["x"]!.GetValue<double>()));
    }

    [Fact]
    public void Outcomes_OfATask_AreItsOutcomesProperty_AndOfAnEnd_None()
    {
        var activity = new JsonObject { ["properties"] = new JsonObject { ["outcomes"] = new JsonArray("accept", "decline") } };

        Assert.Equal(["accept", "decline"], WorkflowDocument.Outcomes(activity, Task));
        Assert.Empty(WorkflowDocument.Outcomes(new JsonObject(), End));
    }
}
