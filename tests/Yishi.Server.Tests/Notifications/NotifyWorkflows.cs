namespace Yishi.Server.Tests.Notifications;

/// <summary>Workflows that notify and write documents, with the shipped templates they use.</summary>
internal static class NotifyWorkflows
{
    /// <summary>
    /// Start → tell the applicants (a variable of contacts) and the mediators that the request was accepted → a
    /// mediator's task → the agreement as a document → End.
    /// </summary>
    public static string Accepted(string definitionId, string channels = "") => $$"""
        {
          "definitionId": "{{definitionId}}",
          "name": { "zh-CN": "人民调解", "en": "Dispute mediation" },
          "variables": [
            { "name": "applicants", "type": "array" },
            { "name": "dispute_type", "type": "string" },
            { "name": "applied_at", "type": "string" },
            { "name": "accepted_at", "type": "string" },
            { "name": "mediator_name", "type": "string" },
            { "name": "contact_days", "type": "number" },
            { "name": "parties", "type": "array" },
            { "name": "facts", "type": "string" },
            { "name": "issues", "type": "string" },
            { "name": "terms", "type": "array" },
            { "name": "performance", "type": "string" },
            { "name": "signed_at", "type": "string" },
            { "name": "agreementId", "type": "string" }
          ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "tell", "type": "Notify", "properties": {
                "template": "mediation/accepted",
                "to": [ { "variable": "applicants" }, { "role": "mediator" } ]{{channels}} } },
            { "id": "mediate", "type": "HumanTask", "properties": {
                "title": { "zh-CN": "调解", "en": "Mediate" }, "assignee": { "role": "mediator" }, "outcomes": [ "agreed" ] } },
            { "id": "agreement", "type": "Document", "properties": { "template": "mediation/agreement", "variable": "agreementId" } },
            { "id": "done", "type": "End" }
          ],
          "connections": [
            { "from": "start", "to": "tell" },
            { "from": "tell", "to": "mediate" },
            { "from": "mediate", "outcome": "agreed", "to": "agreement" },
            { "from": "agreement", "to": "done" }
          ]
        }
        """;

    /// <summary>Start input: the shipped templates' own sample data, and the applicants to tell.</summary>
    public static System.Text.Json.Nodes.JsonObject Input(string templatesFolder, System.Text.Json.Nodes.JsonArray applicants)
    {
        var input = new System.Text.Json.Nodes.JsonObject { ["applicants"] = applicants };
        foreach (var key in new[] { "mediation/accepted", "mediation/agreement" })
        {
            var sample = Yishi.Engine.Notifications.Templates.MessageTemplate.Parse(File.ReadAllText(Path.Combine(templatesFolder, key, "zh-CN.scriban"))).Sample!;
            foreach (var (name, value) in sample)
            {
                input[name] = value?.DeepClone();
            }
        }

        return input;
    }

    /// <summary>Copies the repository's shipped templates into a test's templates folder.</summary>
    public static void CopyShippedTemplates(string folder)
    {
        var source = Path.Combine(Yishi.Server.Hosting.RepositoryPaths.Root(AppContext.BaseDirectory), "templates");
        foreach (var file in Directory.EnumerateFiles(source, "*.scriban", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
