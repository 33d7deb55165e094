namespace Yishi.Engine.Tests.Migrations;

/// <summary>Versions of the workflows the migration tests move cases between.</summary>
internal static class MigrationWorkflows
{
    /// <summary>
    /// start → intake (clerk) → <paramref name="reviewId"/> (mediator, accept/reject, 5 working days) → [sign] → end, whose
    /// result names the version (<paramref name="label"/>) and the review's outcome, so a finished case shows which path it took.
    /// </summary>
    public static string Complaint(string label, string reviewId = "review", bool withSign = false, string reviewType = "HumanTask",
        string reviewOutcomes = """["accept", "reject"]""", string extraVariables = "", string form = "") => $$"""
        {
          "definitionId": "complaint",
          "name": "Complaint",
          "variables": [ { "name": "caseTitle", "type": "string" }{{extraVariables}} ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "intake", "type": "HumanTask", "properties": { "title": "登记", "assignee": { "role": "clerk" } } },
            {{(reviewType == "HumanTask"
                ? $$"""{ "id": "{{reviewId}}", "type": "HumanTask", "properties": { "title": "审查", "assignee": { "role": "mediator" }, "outcomes": {{reviewOutcomes}}, "due": { "workingDays": 5 }{{form}} } }"""
                : $$"""{ "id": "{{reviewId}}", "type": "Delay", "properties": { "duration": "P3D" } }""")}},
            {{(withSign ? """{ "id": "sign", "type": "HumanTask", "properties": { "title": "签字", "assignee": { "role": "mediator" } } },""" : "")}}
            { "id": "end", "type": "End", "properties": { "result": {{(reviewType == "HumanTask" ? $"\"\\\"{label}:\\\" + activities.{reviewId}.outcome\"" : $"\"\\\"{label}\\\"\"")}} } }
          ],
          "connections": [
            { "from": "start", "to": "intake" },
            { "from": "intake", "to": "{{reviewId}}" },
            {{(reviewType == "HumanTask"
                ? withSign
                    ? $$"""{ "from": "{{reviewId}}", "outcome": "accept", "to": "sign" }, { "from": "{{reviewId}}", "outcome": "reject", "to": "end" }, { "from": "sign", "to": "end" }"""
                    : $$"""{ "from": "{{reviewId}}", "outcome": "accept", "to": "end" }, { "from": "{{reviewId}}", "outcome": "reject", "to": "end" }"""
                : $$"""{ "from": "{{reviewId}}", "to": "end" }""")}}
          ]
        }
        """;

    /// <summary>
    /// Both parties sign in parallel, then a Join 'all'. <paramref name="witnessA"/> puts a witness between party A's
    /// signature and the join (so the connection signA → join no longer exists); <paramref name="shifted"/> adds an
    /// activity whose connection comes first, so every connection index moves by one.
    /// </summary>
    public static string Signing(string label, bool witnessA = false, bool shifted = false) => $$"""
        {
          "definitionId": "signing",
          "name": "Both parties sign",
          "activities": [
            { "id": "start", "type": "Start" },
            {{(shifted ? """{ "id": "note", "type": "SetVariable", "properties": { "variable": "noted", "value": "true" } },""" : "")}}
            { "id": "fork", "type": "Fork", "properties": { "branches": ["partyA", "partyB"] } },
            { "id": "signA", "type": "HumanTask", "properties": { "title": "Party A signs", "assignee": { "user": "party-a" }, "outcomes": ["signed"] } },
            { "id": "signB", "type": "HumanTask", "properties": { "title": "Party B signs", "assignee": { "user": "party-b" }, "outcomes": ["signed"] } },
            {{(witnessA ? """{ "id": "witness", "type": "HumanTask", "properties": { "title": "Witness", "assignee": { "role": "mediator" } } },""" : "")}}
            { "id": "join", "type": "Join", "properties": { "mode": "all" } },
            { "id": "end", "type": "End", "properties": { "result": "\"{{label}}\"" } }
          ],
          "variables": [ { "name": "noted", "type": "boolean" } ],
          "connections": [
            {{(shifted ? """{ "from": "start", "to": "note" }, { "from": "note", "to": "fork" },""" : """{ "from": "start", "to": "fork" },""")}}
            { "from": "fork", "outcome": "partyA", "to": "signA" },
            { "from": "fork", "outcome": "partyB", "to": "signB" },
            {{(witnessA ? """{ "from": "signA", "outcome": "signed", "to": "witness" }, { "from": "witness", "to": "join" },""" : """{ "from": "signA", "outcome": "signed", "to": "join" },""")}}
            { "from": "signB", "outcome": "signed", "to": "join" },
            { "from": "join", "to": "end" }
          ]
        }
        """;

    /// <summary>A decision on <paramref name="condition"/>; a condition that is not true or false makes the case fault there.</summary>
    public static string Triage(string condition, string label) => $$"""
        {
          "definitionId": "triage",
          "name": "Triage",
          "variables": [ { "name": "caseTitle", "type": "string" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "urgent", "type": "Decision", "properties": { "condition": "{{condition}}" } },
            { "id": "fast", "type": "End", "properties": { "result": "\"{{label}}:fast\"" } },
            { "id": "slow", "type": "End", "properties": { "result": "\"{{label}}:slow\"" } }
          ],
          "connections": [
            { "from": "start", "to": "urgent" },
            { "from": "urgent", "outcome": "true", "to": "fast" },
            { "from": "urgent", "outcome": "false", "to": "slow" }
          ]
        }
        """;
}
