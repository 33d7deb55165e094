namespace Yishi.Server.Tests.Support;

/// <summary>Workflow definition documents the scenarios send.</summary>
public static class SampleWorkflows
{
    /// <summary>
    /// Start → a mediator's task (outcomes agreed/failed, required text field <c>agreement</c>) → End with the
    /// outcome as the instance's result.
    /// </summary>
    public static string Mediation(string definitionId, string name = "邻里纠纷调解") => $$"""
        {
          "definitionId": "{{definitionId}}",
          "name": { "zh-CN": "{{name}}", "en": "Mediation" },
          "variables": [
            { "name": "caseTitle", "type": "string", "required": true },
            { "name": "agreement", "type": "string" }
          ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "mediate", "type": "HumanTask", "properties": {
                "title": { "zh-CN": "调解", "en": "Mediate" },
                "assignee": { "role": "mediator" },
                "outcomes": [ "agreed", "failed" ],
                "form": [ { "name": "agreement", "type": "text", "required": true, "variable": "agreement" } ] } },
            { "id": "done", "type": "End", "properties": { "result": "activities.mediate.outcome" } }
          ],
          "connections": [
            { "from": "start", "to": "mediate" },
            { "from": "mediate", "outcome": "agreed", "to": "done" },
            { "from": "mediate", "outcome": "failed", "to": "done" }
          ]
        }
        """;
}
