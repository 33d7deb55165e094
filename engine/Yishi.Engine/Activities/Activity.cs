using System.Collections.Immutable;
using System.Text.Json;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Activities;

/// <summary>
/// An activity type. Implementations are stateless singletons: everything about one run is in the
/// <see cref="ActivityContext"/>. Execution is synchronous and does no I/O, so a step is a pure state
/// transition that the runtime commits in one transaction; work with effects goes to the outbox.
/// </summary>
public abstract class Activity
{
    /// <summary>The type's metadata.</summary>
    public abstract ActivityDescriptor Descriptor { get; }

    /// <summary>The outcomes an activity of this type has, given its properties.</summary>
    public virtual ImmutableArray<string> GetOutcomes(ActivityDefinition activity)
    {
        if (Descriptor.OutcomesProperty is { } property && (activity.Property(property) ?? DefaultOf(property)) is { ValueKind: JsonValueKind.Array } list)
        {
            return [.. list.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!).Distinct(StringComparer.Ordinal)];
        }

        return Descriptor.FixedOutcomes;
    }

    /// <summary>An absent outcomes property means its default (a HumanTask without 'outcomes' completes by 'done').</summary>
    private JsonElement? DefaultOf(string property) =>
        Descriptor.Properties.FirstOrDefault(p => p.Name == property)?.DefaultJson is { } json ? JsonElement.Parse(json) : null;

    /// <summary>Type-specific checks beyond what the property descriptors already check.</summary>
    public virtual void Validate(ActivityValidationContext context)
    {
    }

    /// <summary>Runs the activity when a token reaches it.</summary>
    public abstract ActivityResult Execute(ActivityContext context);

    /// <summary>Checks the input of a resume before anything changes; problems make the resume fail as invalid input.</summary>
    public virtual ImmutableArray<ValidationProblem> ValidateResume(ActivityDefinition activity, Bookmark bookmark, ResumeInput input) => [];

    /// <summary>Continues after its bookmark is resumed. By default it completes by <c>done</c>.</summary>
    public virtual ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeInput input) => ActivityResult.Done();
}
