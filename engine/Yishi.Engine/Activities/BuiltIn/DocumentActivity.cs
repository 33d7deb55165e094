using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Definitions;
using Yishi.Engine.Outbox;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Activities.BuiltIn;

/// <summary>
/// Produces a document for the case, such as a mediation agreement: the host renders the template with the case's
/// variables to HTML (with a print stylesheet) and to PDF, stores both with the case and records who generated it.
/// The document's id is known at once (the step's outbox row id), so a later task can link to it.
/// </summary>
public sealed class DocumentActivity : Activity
{
    /// <summary>The type name.</summary>
    public const string TypeName = "Document";

    /// <inheritdoc />
    public override ActivityDescriptor Descriptor { get; } = new(TypeName, ActivityCategories.Messages,
        LocalizedText.Of("生成文书", "Document"),
        LocalizedText.Of("用模板生成文书（如人民调解协议书），保存为网页和 PDF，归入案卷。", "Renders a document (e.g. a mediation agreement) from a template to a web page and a PDF, kept with the case."))
    {
        Properties =
        [
            new("template", PropertyKind.Text, LocalizedText.Of("文书模板", "Document template"))
            {
                Required = true,
                UiHint = "template-picker",
                Description = LocalizedText.Of("模板的键，例如 mediation/agreement。", "The template's key, e.g. mediation/agreement."),
            },
            new("locale", PropertyKind.Choice, LocalizedText.Of("语言", "Language")) { Choices = ["zh-CN", "en"], DefaultJson = "\"zh-CN\"" },
            new("variable", PropertyKind.VariableName, LocalizedText.Of("保存文书编号到", "Store the document id in"))
            {
                Description = LocalizedText.Of("可选：把文书编号存入此变量，供后续任务链接。", "Optional: the variable that gets the document's id, for later tasks to link to."),
            },
        ],
    };

    /// <inheritdoc />
    public override void Validate(ActivityValidationContext context)
    {
        if (context.Activity.Property("template") is { ValueKind: JsonValueKind.String } key && !TemplateKeys.IsValid(key.GetString()))
        {
            context.Error(ProblemCodes.InvalidProperty, "'template' must be a template key such as mediation/agreement (lower-case words separated by '/').", "template");
        }
    }

    /// <inheritdoc />
    public override ActivityResult Execute(ActivityContext context)
    {
        var payload = NotifyActivity.Payload(context);
        payload["locale"] = context.StringProperty("locale") ?? "zh-CN";
        var id = context.Emit(OutboxKinds.Document, payload);
        if (context.StringProperty("variable") is { } variable)
        {
            context.SetVariable(variable, JsonValue.Create(id));
        }

        return ActivityResult.Done();
    }
}
