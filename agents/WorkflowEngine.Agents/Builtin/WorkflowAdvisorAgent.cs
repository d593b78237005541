using System.Text;
using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Builtin;

/// <summary><c>workflow_advisor</c>: answers short step-by-step guidance for the request's language and project.</summary>
public sealed class WorkflowAdvisorAgent : IAgent
{
    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = AgentInputs.RequestText(request);
        var plan = DevelopmentRequestParser.Parse(text);
        var language = plan.LanguageStated ? plan.Language : LanguageDetector.Suggested(text) ?? plan.Language;
        var (run, test, deps) = language switch
        {
            "javascript" => ("node app.js", "npm test", "npm install"),
            "typescript" => ("tsx app.ts", "npm test", "npm install"),
            "bash" => ("bash app.sh", "bash -n app.sh (syntax check)", "install tools with the package manager of the image"),
            _ => ("python3 app.py", "python3 -m pytest -q", "pip install -r requirements.txt"),
        };

        var steps = new List<string>
        {
            $"Create a {language} sandbox" + (plan.Name is null ? "" : $" named {plan.Name}") + (plan.Persistent ? " (persistent, so it survives the run)" : "") + ".",
        };
        if (plan.GitRepo is not null)
        {
            steps.Add($"Clone {plan.GitRepo}" + (plan.GitBranch is null ? "" : $" on branch {plan.GitBranch}") + " into /workspace.");
        }

        steps.Add($"Install dependencies: {deps}.");
        steps.Add(plan.Files.Count > 0
            ? "Write " + string.Join(", ", plan.Files.Select(f => f.Path)) + " with file_operation (write)."
            : "Write or upload your code with file_operation (write or upload).");
        steps.Add("Run it with execute_shell: " + (plan.RunCommand is null ? run : string.Join(' ', plan.RunCommand)) + ".");
        steps.Add($"Test with execute_shell: {test}.");
        steps.Add("Commit with git_operation (commit" + (plan.CommitMessage is null ? "" : $", message \"{plan.CommitMessage}\"") + ")" + (plan.Push || plan.GitRepo is not null ? ", then push." : "."));
        steps.Add(plan.Persistent ? "Come back to the sandbox later; delete it when you are done." : "Delete the sandbox when you are done, or create it persistent to keep it.");

        var builder = new StringBuilder($"Suggested {language} workflow:\n");
        for (var i = 0; i < steps.Count; i++)
        {
            builder.Append(i + 1).Append(". ").Append(steps[i]).Append('\n');
        }

        return AgentInputs.Reply(builder.ToString().TrimEnd());
    }
}
