using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Definitions;
using Yishi.Engine.Execution;
using Yishi.Engine.Expressions;
using Yishi.Engine.Instances;
using Yishi.Engine.Time;

namespace Yishi.Engine.Activities;

/// <summary>What an activity sees while it runs: its definition, the instance's variables, the clock and expressions.</summary>
public sealed class ActivityContext
{
    private readonly ExecutionSession _session;

    internal ActivityContext(ExecutionSession session, ActivityDefinition activity, Token token, JsonNode? input)
    {
        _session = session;
        Activity = activity;
        Token = token;
        Input = input;
    }

    /// <summary>The activity being run.</summary>
    public ActivityDefinition Activity { get; }

    /// <summary>The token that reached it.</summary>
    public Token Token { get; }

    /// <summary>The start input, or the data of the resume that led here.</summary>
    public JsonNode? Input { get; }

    /// <summary>The instance.</summary>
    public WorkflowInstance Instance => _session.Instance;

    /// <summary>The definition the instance runs.</summary>
    public WorkflowDefinition Definition => _session.Graph.Definition;

    /// <summary>Now, by the engine's clock (a fast-forwarded one in a rehearsal).</summary>
    public DateTimeOffset Now => _session.Now;

    /// <summary>The working-day calendar for deadlines.</summary>
    public IWorkingCalendar Calendar => _session.Calendar;

    /// <summary>The variables; writes take effect when the step commits.</summary>
    public JsonObject Variables => Instance.State.Variables;

    /// <summary>Evaluates an expression with the instance's scope.</summary>
    public ExpressionResult Evaluate(string expression) => _session.Expressions.Evaluate(expression, _session.ScopeFor(Input));

    /// <summary>A property value, if set.</summary>
    public JsonElement? Property(string name) => Activity.Property(name);

    /// <summary>A string property, if set to a string.</summary>
    public string? StringProperty(string name) => Property(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>Who made the step happen (the person who completed the task before, or the system for a timer).</summary>
    public Actor Actor => _session.Actor;

    /// <summary>
    /// Writes an outbox row, committed with the step: work with effects (send a notification, print a document) that
    /// the host carries out after the commit, and again after a crash until it is marked done. Answers the row's id,
    /// unique per run of the activity, so it serves as the idempotency key of what the row causes.
    /// </summary>
    public string Emit(string kind, JsonObject payload)
    {
        var id = _session.NextId("o");
        _session.Outbox.Add(new Outbox.OutboxMessage(id, Instance.Id, kind, payload, _session.Now));
        return id;
    }

    /// <summary>Sets a variable (a copy of the value; types are checked at the edges: start input and forms).</summary>
    public void SetVariable(string name, JsonNode? value) => Variables[name] = value?.DeepClone();
}
