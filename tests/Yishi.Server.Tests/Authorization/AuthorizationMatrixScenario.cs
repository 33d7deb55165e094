using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Authorization;

public sealed class SqliteAuthorizationMatrix : AuthorizationMatrixScenario<SqliteTestDatabase>;

public sealed class PostgreSqlAuthorizationMatrix : AuthorizationMatrixScenario<PostgreSqlTestDatabase>;

/// <summary>
/// Every endpoint of the server, and who may call it. The table must name exactly the endpoints the app maps,
/// so an endpoint added without deciding who may call it fails the build.
/// </summary>
public abstract partial class AuthorizationMatrixScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    /// <summary>Endpoints mapped without an HTTP method (health checks answer any method).</summary>
    private const string AnyMethod = "ANY";
    private const string AnonymousCaller = "anonymous";
    private const string ApiKeyCaller = "api-key";

    private static readonly AccessRule[] Matrix =
    [
        // Framework endpoints, anonymous by design (the API reference is mapped in Development only).
        new("GET", "/openapi/{documentName}.json", Access.Anonymous),
        new(AnyMethod, "/health", Access.Anonymous),
        new("GET", "/api/reference/{documentName?}", Access.Anonymous),
        new("GET", "/api/reference/scalar.js", Access.Anonymous),
        new("GET", "/api/reference/scalar.aspnetcore.js", Access.Anonymous),
        new("GET", "/api/reference/favicon.svg", Access.Anonymous),
        // Identity.
        new("POST", "/api/auth/login", Access.Anonymous),
        new("POST", "/api/auth/logout", Access.SignedIn),
        new("GET", "/api/me", Access.SignedIn),
        new("GET", "/api/me/notifications", Access.SignedIn),
        new("PUT", "/api/me/notifications", Access.SignedIn),
        // A party's own rating of their case: people only; the endpoint answers 404 to anyone but a resident party (CaseRatingScenario).
        new("GET", "/api/instances/{id}/rating", Access.SignedIn),
        new("POST", "/api/instances/{id}/rating", Access.SignedIn),
        // One-time codes by SMS: sign-in and password reset are for people who cannot sign in yet.
        new("POST", "/api/auth/codes", Access.Anonymous),
        new("POST", "/api/auth/login/code", Access.Anonymous),
        new("POST", "/api/auth/password/reset", Access.Anonymous),
        // Designing workflows.
        new("GET", "/api/activities", Access.Staff),
        new("GET", "/api/definitions", Access.Design),
        new("POST", "/api/definitions", Access.Design),
        new("POST", "/api/definitions/validate", Access.Design),
        new("GET", "/api/definitions/{definitionId}", Access.Design),
        new("PUT", "/api/definitions/{definitionId}/draft", Access.Design),
        new("POST", "/api/definitions/{definitionId}/publish", Access.Design),
        new("POST", "/api/definitions/{definitionId}/retire", Access.Design),
        new("GET", "/api/definitions/{definitionId}/versions", Access.Design),
        new("GET", "/api/definitions/{definitionId}/export", Access.Design),
        new("POST", "/api/definitions/{definitionId}/migrations/dry-run", Access.Design),
        new("POST", "/api/definitions/{definitionId}/migrations", Access.Design),
        new("GET", "/api/templates", Access.Design),
        new("GET", "/api/templates/text", Access.Design),
        new("POST", "/api/templates", Access.Design),
        new("POST", "/api/templates/preview", Access.Design),
        new("POST", "/api/definitions/{definitionId}/rehearsals", Access.Design),
        new("GET", "/api/rehearsals/{id}", Access.Design),
        new("POST", "/api/rehearsals/{id}/advance", Access.Design),
        new("POST", "/api/rehearsals/{id}/tasks/{taskId}/complete", Access.Design),
        new("DELETE", "/api/rehearsals/{id}", Access.Design),
        // Finding a task's assignee: designers search staff of their own units, masked (the full list stays with admins).
        new("GET", "/api/staff", Access.Design),
        // Working cases; integrators' API keys start and read instances and publish messages.
        new("POST", "/api/instances", Access.StartInstances),
        new("GET", "/api/instances", Access.ReadInstances),
        new("GET", "/api/instances/{id}", Access.ReadInstances),
        new("GET", "/api/instances/{id}/journal", Access.Staff),
        new("POST", "/api/instances/{id}/cancel", Access.Staff),
        new("POST", "/api/instances/{id}/retry", Access.Staff),
        new("POST", "/api/instances/{id}/parties", Access.Staff),
        // The case file: its readers read it (residents who are parties included), the staff who work the case write in it.
        new("GET", "/api/instances/{id}/file", Access.ReadInstances),
        new("PUT", "/api/instances/{id}/file", Access.Staff),
        new("GET", "/api/instances/{id}/records", Access.ReadInstances),
        new("POST", "/api/instances/{id}/records", Access.Staff),
        // Sessions (调解会 / 协商会): the case's readers see them, the staff who work the case schedule, move and cancel them.
        new("GET", "/api/instances/{id}/sessions", Access.ReadInstances),
        new("POST", "/api/instances/{id}/sessions", Access.Staff),
        new("GET", "/api/sessions", Access.Staff),
        new("PUT", "/api/sessions/{id}", Access.Staff),
        new("POST", "/api/sessions/{id}/cancel", Access.Staff),
        new("GET", "/api/instances/{id}/documents", Access.ReadInstances),
        new("GET", "/api/instances/{id}/timeline", Access.ReadInstances),
        new("POST", "/api/instances/{id}/transfer", Access.Staff),
        new("GET", "/api/instances/{id}/transfers", Access.Staff),
        // The dashboard: figures for staff, scoped to their org units.
        new("GET", "/api/dashboard", Access.Staff),
        new("GET", "/api/documents/{id}", Access.ReadInstances),
        new("GET", "/api/documents/{id}/pdf", Access.ReadInstances),
        // A case's files: people add them (the handler narrows to staff of the case's unit and its parties); whoever reads the case reads them.
        new("POST", "/api/instances/{id}/attachments", Access.SignedIn),
        new("GET", "/api/instances/{id}/attachments", Access.ReadInstances),
        new("GET", "/api/attachments/{attachmentId}", Access.ReadInstances),
        new("GET", "/api/tasks", Access.SignedIn),
        new("GET", "/api/tasks/{id}", Access.SignedIn),
        new("POST", "/api/tasks/{id}/claim", Access.SignedIn),
        new("POST", "/api/tasks/{id}/complete", Access.SignedIn),
        new("POST", "/api/tasks/{id}/extension", Access.SignedIn),
        // The workbench: its inbox and case page for staff; giving a task to someone for supervisors; a party's full details for those who work cases.
        new("GET", "/api/workbench/inbox", Access.Staff),
        new("GET", "/api/workbench/cases/{id}", Access.Staff),
        new("GET", "/api/workbench/org-units", Access.Staff),
        new("POST", "/api/tasks/{id}/assign", Access.Supervise),
        new("GET", "/api/tasks/{id}/assignees", Access.Supervise),
        new("POST", "/api/instances/{id}/parties/{partyId}/reveal", Access.RevealParties),
        // Deciding on extensions: supervisors and admins.
        new("GET", "/api/extensions", Access.Supervise),
        new("POST", "/api/extensions/{id}/approve", Access.Supervise),
        new("POST", "/api/extensions/{id}/reject", Access.Supervise),
        new("POST", "/api/messages", Access.PublishMessages),
        // The in-app inbox: people only.
        new("GET", "/api/inbox", Access.SignedIn),
        new("POST", "/api/inbox/{id}/read", Access.SignedIn),
        // Administration.
        new("GET", "/api/admin/users", Access.Admin),
        new("POST", "/api/admin/users", Access.Admin),
        new("PUT", "/api/admin/users/{id}/roles", Access.Admin),
        new("GET", "/api/admin/roles", Access.Admin),
        new("GET", "/api/admin/calendar", Access.Admin),
        new("GET", "/api/admin/channels", Access.Admin),
        new("PUT", "/api/admin/calendar/days/{date}", Access.Admin),
        new("DELETE", "/api/admin/calendar/days/{date}", Access.Admin),
        new("GET", "/api/admin/org-units", Access.Admin),
        new("POST", "/api/admin/org-units", Access.Admin),
        new("GET", "/api/admin/api-keys", Access.Admin),
        new("POST", "/api/admin/api-keys", Access.Admin),
        new("DELETE", "/api/admin/api-keys/{id}", Access.Admin),
        new("GET", "/api/admin/deliveries", Access.Admin),
        new("POST", "/api/admin/residents/import", Access.Admin),
        new("GET", "/api/admin/residents", Access.Admin),
        new("POST", "/api/admin/deliveries/{id}/retry", Access.Admin),
        // Ballots: people (not API keys) read and vote, the handlers narrowing to the roll; staff watch turnout; officers handle paper.
        new("GET", "/api/ballots", Access.SignedIn),
        new("GET", "/api/ballots/{id}", Access.SignedIn),
        new("POST", "/api/ballots/{id}/votes", Access.SignedIn),
        new("GET", "/api/ballots/{id}/result", Access.SignedIn),
        new("GET", "/api/ballots/{id}/receipts/{code}", Access.SignedIn),
        new("GET", "/api/ballots/{id}/electorate", Access.Staff),
        new("GET", "/api/ballots/{id}/turnout", Access.Staff),
        new("POST", "/api/ballots/{id}/reminders", Access.Staff),
        new("POST", "/api/ballots/{id}/paper/voters", Access.Officiate),
        new("POST", "/api/ballots/{id}/paper/batches", Access.Officiate),
        new("GET", "/api/ballots/{id}/paper/batches", Access.Officiate),
        new("POST", "/api/ballots/{id}/paper/batches/{batchId}/confirm", Access.Officiate),
        new("POST", "/api/ballots/{id}/paper/batches/{batchId}/reject", Access.Officiate),
        // The audit chain: staff read, verify and export it.
        new("GET", "/api/audit", Access.Staff),
        new("GET", "/api/audit/head", Access.Staff),
        new("GET", "/api/audit/verify", Access.Staff),
        new("GET", "/api/audit/export", Access.Staff),
        // Consultations: people (not API keys) read and take part, the handlers narrowing to residents of the unit; staff moderate.
        new("POST", "/api/proposals", Access.SignedIn),
        new("GET", "/api/proposals", Access.SignedIn),
        new("GET", "/api/proposals/{id}", Access.SignedIn),
        new("POST", "/api/proposals/{id}/signatures", Access.SignedIn),
        new("GET", "/api/consultations", Access.SignedIn),
        new("GET", "/api/consultations/{id}", Access.SignedIn),
        new("POST", "/api/consultations/{id}/opinions", Access.SignedIn),
        new("GET", "/api/consultations/{id}/opinions", Access.SignedIn),
        new("POST", "/api/consultations/opinions/{opinionId}/reports", Access.SignedIn),
        new("POST", "/api/consultations/{id}/evaluations", Access.SignedIn),
        new("GET", "/api/consultations/{id}/evaluations", Access.SignedIn),
        new("GET", "/api/consultations/review", Access.Staff),
        new("POST", "/api/consultations/opinions/{opinionId}/hide", Access.Staff),
        new("POST", "/api/consultations/opinions/{opinionId}/restore", Access.Staff),
        new("POST", "/api/consultations/{id}/close", Access.Staff),
        new("POST", "/api/consultations/{id}/summary", Access.Staff),
    ];

    private static readonly string[] ApiKeyPermissions = ["instances:start", "instances:read", "messages:publish"];

    private static readonly Access[] CaseWork = [Access.StartInstances, Access.ReadInstances, Access.PublishMessages];

    /// <summary>The callers tried, each with the access levels they hold: demo users, and an integrator's API key with every permission.</summary>
    private static readonly (string Name, Access[] Holds)[] Callers =
    [
        (AnonymousCaller, [Access.Anonymous]),
        // Residents read instances, but only the cases they are party to (see CaseScopeScenario).
        ("resident1", [Access.Anonymous, Access.SignedIn, Access.ReadInstances]),
        ("mediator", [Access.Anonymous, Access.SignedIn, Access.Staff, .. CaseWork, Access.RevealParties]),
        ("staff", [Access.Anonymous, Access.SignedIn, Access.Staff, .. CaseWork, Access.Design]),
        ("supervisor", [Access.Anonymous, Access.SignedIn, Access.Staff, .. CaseWork, Access.Supervise, Access.RevealParties]),
        ("officer", [Access.Anonymous, Access.SignedIn, Access.Staff, .. CaseWork, Access.Officiate]),
        ("admin", [Access.Anonymous, Access.SignedIn, Access.Staff, .. CaseWork, Access.Design, Access.Admin, Access.Supervise, Access.Officiate]),
        // An API key is not a person: no inbox, profile or session, only the case work its permissions name.
        (ApiKeyCaller, [Access.Anonymous, .. CaseWork]),
    ];

    public enum Access
    {
        Anonymous,
        SignedIn,
        Staff,
        Design,
        Admin,
        StartInstances,
        ReadInstances,
        PublishMessages,
        Supervise,
        Officiate,
        RevealParties,
    }

    public sealed record AccessRule(string Method, string Route, Access Access)
    {
        public string Key => $"{Method} {Route}";
    }

    [Fact]
    public void Table_NamesExactlyTheMappedEndpoints()
    {
        var mapped = MappedEndpoints(NewServer()).ToHashSet(StringComparer.Ordinal);
        var rows = Matrix.Select(r => r.Key).ToList();

        Assert.Equal(rows.Count, rows.Distinct(StringComparer.Ordinal).Count());
        var missing = mapped.Except(rows, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "Endpoints without a row in the authorization matrix (add one): " + string.Join(", ", missing));
        var stale = rows.Except(mapped, StringComparer.Ordinal).ToList();
        Assert.True(stale.Count == 0, "Rows naming endpoints the server does not map: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task EveryEndpoint_AnswersEachCaller_AsTheTableSays()
    {
        var server = NewServer();
        var clients = new List<(string Name, HttpClient Client, Access[] Holds)>();
        foreach (var (name, holds) in Callers)
        {
            clients.Add((name, name switch
            {
                AnonymousCaller => server.Anonymous(),
                ApiKeyCaller => await ApiKeyClientAsync(server),
                _ => await server.ClientForAsync(name, Ct),
            }, holds));
        }

        var wrong = new List<string>();
        foreach (var rule in Matrix)
        {
            foreach (var (name, client, holds) in clients)
            {
                using var request = new HttpRequestMessage(new HttpMethod(rule.Method == AnyMethod ? "GET" : rule.Method), Concrete(rule.Route));
                if (request.Method == HttpMethod.Post || request.Method == HttpMethod.Put)
                {
                    request.Content = Http.Json("{}");
                }

                using var response = await client.SendAsync(request, Ct);
                var status = response.StatusCode;
                var allowed = holds.Contains(rule.Access);
                var expected = allowed ? "not 401/403" : name == AnonymousCaller ? "401" : "403";
                var fits = allowed
                    ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    : status == (name == AnonymousCaller ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
                if (!fits)
                {
                    wrong.Add($"{rule.Key} as {name}: expected {expected}, got {(int)status}");
                }
            }
        }

        clients.ForEach(c => c.Client.Dispose());
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    /// <summary>admin makes a key with every permission; the client sends it as <c>X-Api-Key</c>.</summary>
    private static async Task<HttpClient> ApiKeyClientAsync(YishiFactory server)
    {
        using var admin = await server.ClientForAsync("admin", Ct);
        using var created = await admin.PostAsJsonAsync("/api/admin/api-keys",
            new { name = "12345 热线", orgUnitId = "s1", permissions = ApiKeyPermissions }, Ct);
        var key = (await created.ReadJsonAsync(HttpStatusCode.Created, Ct))["key"]!.GetValue<string>();
        var client = server.Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static IEnumerable<string> MappedEndpoints(YishiFactory server)
    {
        foreach (var endpoint in server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = endpoint.RoutePattern.RawText ?? "";
            route = route.Length > 1 ? route.TrimEnd('/') : route;
            if (IsWebUi(endpoint, route))
            {
                // The web pages (designer, workbench, dashboard, admin, portal) and their scripts, styles, language link
                // and live connection are a UI, not the API: pages send people to sign in instead of answering 401/403
                // (DesignerAccessScenario and the browser tests cover them).
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            foreach (var method in methods is { Count: > 0 } ? methods : [AnyMethod])
            {
                yield return $"{method} {route}";
            }
        }
    }

    private static bool IsWebUi(RouteEndpoint endpoint, string route) =>
        endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null
        || route.StartsWith("/language/", StringComparison.Ordinal) || route.StartsWith("_content/", StringComparison.Ordinal)
        || route.StartsWith("_framework/", StringComparison.Ordinal) || route.StartsWith("/_framework/", StringComparison.Ordinal)
        || route.StartsWith("/_blazor", StringComparison.Ordinal) || route == "{**path:file}";

    /// <summary>A path for a route pattern: route values are placeholders that name nothing (the OpenAPI document is v1).</summary>
    private static string Concrete(string route) =>
        RouteParameter().Replace(route, m => m.Groups["name"].Value == "documentName" ? "v1" : "no-such-" + m.Groups["name"].Value);

    [GeneratedRegex(@"\{\**(?<name>\w+)\??\}")]
    private static partial Regex RouteParameter();
}
