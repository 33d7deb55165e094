using System.Text.Json.Nodes;
using Yishi.Engine.Outbox;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Flow;

/// <summary>Notify and Document only write outbox rows, in the step's commit; the host does the sending and printing.</summary>
public sealed class NotifyAndDocumentTests
{
    private const string Definition = """
        {
          "definitionId": "tell",
          "name": "Tell",
          "variables": [ { "name": "applicants", "type": "array" }, { "name": "caseNo", "type": "string" }, { "name": "agreementId", "type": "string" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "notify", "type": "Notify", "properties": {
                "template": "mediation/accepted", "to": [ { "variable": "applicants" }, { "role": "mediator" } ], "channels": [ "sms" ] } },
            { "id": "agreement", "type": "Document", "properties": { "template": "mediation/agreement", "variable": "agreementId" } },
            { "id": "end", "type": "End" }
          ],
          "connections": [ { "from": "start", "to": "notify" }, { "from": "notify", "to": "agreement" }, { "from": "agreement", "to": "end" } ]
        }
        """;

    [Fact]
    public async Task TheStepWritesOneRowEach_WithTheVariablesAsTheyWere_AndTheDocumentIdIsKnownAtOnce()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Definition);
        JsonArray applicants = [new JsonObject { ["name"] = "张丽华", ["phone"] = "13900001111" }];

        var started = await engine.StartAsync("tell", new JsonObject { ["applicants"] = applicants, ["caseNo"] = "2026-0117" });

        var instance = await engine.InstanceAsync(started.InstanceId!);
        var notify = Assert.Single(await engine.Store.ReadOutboxAsync(10, OutboxKinds.Notify, TestEngine.Cancellation));
        var document = Assert.Single(await engine.Store.ReadOutboxAsync(10, OutboxKinds.Document, TestEngine.Cancellation));
        Assert.Equal("mediation/accepted", notify.Payload["template"]!.GetValue<string>());
        Assert.Equal("""[{"variable":"applicants"},{"role":"mediator"}]""", notify.Payload["to"]!.ToJsonString());
        Assert.Equal("13900001111", notify.Payload["variables"]!["applicants"]![0]!["phone"]!.GetValue<string>());
        Assert.Equal("""["sms"]""", notify.Payload["channels"]!.ToJsonString());
        Assert.Equal("tell", notify.Payload["definitionId"]!.GetValue<string>());
        Assert.Equal(document.Id, instance.State.Variables["agreementId"]!.GetValue<string>());
        Assert.Equal("mediation/agreement", document.Payload["template"]!.GetValue<string>());
        Assert.Equal(Instances.InstanceStatus.Completed, instance.Status);
    }

    [Theory]
    [InlineData("""{ "template": "Mediation Accepted", "to": [ { "role": "mediator" } ] }""", "template")]
    [InlineData("""{ "template": "a/b", "to": [] }""", "to")]
    [InlineData("""{ "template": "a/b", "to": [ { "group": "x" } ] }""", "to")]
    [InlineData("""{ "template": "a/b", "to": [ { "variable": "nobody" } ] }""", "to")]
    [InlineData("""{ "template": "a/b", "to": [ { "role": "mediator" } ], "channels": [ "wechat" ] }""", "channels")]
    public async Task ABadNotifyIsRefusedAtItsProperty(string properties, string property)
    {
        await using var engine = new TestEngine();
        var json = $$"""
            { "definitionId": "bad", "name": "Bad",
              "activities": [ { "id": "start", "type": "Start" }, { "id": "notify", "type": "Notify", "properties": {{properties}} }, { "id": "end", "type": "End" } ],
              "connections": [ { "from": "start", "to": "notify" }, { "from": "notify", "to": "end" } ] }
            """;

        var saved = await engine.Runtime.Definitions.SaveDraftAsync(json, TestEngine.Cancellation);

        Assert.Contains(saved.Problems, p => p.ActivityId == "notify" && p.Property == property && p.Severity == Engine.Validation.ProblemSeverity.Error);
    }
}
