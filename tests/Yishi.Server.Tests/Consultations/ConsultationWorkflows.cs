namespace Yishi.Server.Tests.Consultations;

/// <summary>Workflows with a Consultation whose later steps read its counts.</summary>
internal static class ConsultationWorkflows
{
    public const string Topic = "三号楼加装电梯";

    public const string SensitiveWord = "骗子";

    /// <summary>
    /// Start → ask the residents for 30 minutes (2 reports hide an opinion; "骗子" holds one) → a Decision on the counts →
    /// End with the consultation's output as the result.
    /// </summary>
    public static string Opinions(string definitionId) => $$"""
        {
          "definitionId": "{{definitionId}}",
          "name": { "zh-CN": "加装电梯协商", "en": "Lift consultation" },
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "consult", "type": "Consultation", "properties": {
                "topic": "{{Topic}}", "description": "是否同意在三号楼加装电梯，费用按楼层分摊。",
                "attachments": [ { "name": "方案.pdf", "url": "https://example.org/lift/plan.pdf" } ],
                "duration": "PT30M", "reportThreshold": 2, "sensitiveWords": [ "{{SensitiveWord}}" ] } },
            { "id": "decide", "type": "Decision", "properties": { "condition": "activities.consult.support >= activities.consult.oppose" } },
            { "id": "agreed", "type": "End", "properties": { "result": "activities.consult" } },
            { "id": "rejected", "type": "End" }
          ],
          "connections": [
            { "from": "start", "to": "consult" },
            { "from": "consult", "to": "decide" },
            { "from": "decide", "outcome": "true", "to": "agreed" },
            { "from": "decide", "outcome": "false", "to": "rejected" }
          ]
        }
        """;

    /// <summary>Start → a 效果共评 of two questions for 30 minutes → End with its output.</summary>
    public static string Evaluation(string definitionId) => $$"""
        {
          "definitionId": "{{definitionId}}",
          "name": { "zh-CN": "楼道保洁效果共评", "en": "Stairwell cleaning evaluation" },
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "consult", "type": "Consultation", "properties": {
                "topic": "楼道保洁效果", "duration": "PT30M", "kind": "evaluation",
                "questions": [ { "id": "clean", "text": "楼道更干净了吗？" }, { "id": "timely", "text": "保洁是否准时？" } ] } },
            { "id": "done", "type": "End", "properties": { "result": "activities.consult" } }
          ],
          "connections": [ { "from": "start", "to": "consult" }, { "from": "consult", "to": "done" } ]
        }
        """;
}
