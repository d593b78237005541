using WorkflowEngine.Agents.Builtin;
using WorkflowEngine.Agents.Tests.Support;

namespace WorkflowEngine.Agents.Tests.Builtin;

public sealed class ExtractionAgentsTests
{
    [Fact]
    public async Task InputNormalizer_UserInputAndQuery_PrefersUserInput()
    {
        Assert.Equal("a", await AgentRequests.AskAsync(new InputNormalizerAgent(), AgentRequests.For("a", userQuery: "b")));
        Assert.Equal("b", await AgentRequests.AskAsync(new InputNormalizerAgent(), AgentRequests.For(" ", userQuery: "b")));
        Assert.Equal("No input provided", await AgentRequests.AskAsync(new InputNormalizerAgent(), AgentRequests.For(null)));
    }

    [Fact]
    public async Task ActionClassifier_ListRequest_AnswersActionAndConfidence()
    {
        var json = AgentRequests.Json(await AgentRequests.AskAsync(new ActionClassifierAgent(), AgentRequests.For("What sandboxes do I have?")));
        Assert.Equal("list_sandboxes", json["action"]);
        Assert.InRange(Convert.ToDouble(json["confidence"]), 0.0, 1.0);
    }

    [Fact]
    public async Task ActionClassifier_NoUserInput_FallsBackToStepInput()
    {
        var json = AgentRequests.Json(await AgentRequests.AskAsync(new ActionClassifierAgent(), AgentRequests.For(null, input: "Delete sandbox sandbox-7f3a9c")));
        Assert.Equal("delete_sandbox", json["action"]);
    }

    [Fact]
    public async Task SandboxManager_CreateRequest_AnswersCreateParams()
    {
        var json = AgentRequests.Json(await AgentRequests.AskAsync(new SandboxManagerAgent(), AgentRequests.For("Create a persistent JavaScript sandbox called web")));
        Assert.Equal("javascript", json["language"]);
        Assert.Equal("web", json["name"]);
        Assert.Equal(true, json["persistent"]);
    }

    [Fact]
    public async Task SandboxManager_InfoRequest_AnswersSandboxIdOnly()
    {
        var json = AgentRequests.Json(await AgentRequests.AskAsync(new SandboxManagerAgent(), AgentRequests.For("Show me the details of the sandbox named ml-project")));
        Assert.Equal(["sandbox_id"], json.Keys);
        Assert.Equal("ml-project", json["sandbox_id"]);
    }

    [Fact]
    public async Task SandboxManager_CleanupAfterListing_PicksMatchingSandboxes()
    {
        var listing = new Dictionary<string, object?>
        {
            ["success"] = true,
            ["sandboxes"] = new List<object?>
            {
                new Dictionary<string, object?> { ["sandbox_id"] = "sandbox-000001", ["name"] = "testing-1" },
                new Dictionary<string, object?> { ["sandbox_id"] = "sandbox-000002", ["name"] = "prod-api" },
            },
        };
        var request = AgentRequests.For("Clean up old testing environments", stepOutputs: new Dictionary<string, object?> { ["list_current_sandboxes"] = listing });
        var json = AgentRequests.Json(await AgentRequests.AskAsync(new SandboxManagerAgent(), request));
        Assert.Equal(new List<object?> { "sandbox-000001" }, json["sandbox_ids"]);
    }

    [Fact]
    public async Task CodeExecutor_ShellRequest_AnswersCommandParams()
    {
        var json = AgentRequests.Json(await AgentRequests.AskAsync(new CodeExecutorAgent(), AgentRequests.For("Run `make build` inside /workspace/service on sandbox-91d0ce")));
        Assert.Equal("make build", json["command"]);
        Assert.Equal("/workspace/service", json["working_directory"]);
        Assert.Equal("sandbox-91d0ce", json["sandbox_id"]);
    }

    [Fact]
    public async Task CodeExecutor_CodeRequest_AnswersCodeParams()
    {
        var json = AgentRequests.Json(await AgentRequests.AskAsync(new CodeExecutorAgent(), AgentRequests.For("Run this Python script: print(2 + 2)")));
        Assert.Equal("print(2 + 2)", json["code"]);
        Assert.Equal("python", json["language"]);
    }

    [Fact]
    public async Task FileManager_WriteRequest_AnswersFileParams()
    {
        var json = AgentRequests.Json(await AgentRequests.AskAsync(new FileManagerAgent(), AgentRequests.For("Write `x = 1` to /app/config.py in sandbox-abc123")));
        Assert.Equal("write", json["operation"]);
        Assert.Equal("/app/config.py", json["file_path"]);
        Assert.Equal("x = 1", json["content"]);
    }

    [Fact]
    public async Task GitManager_CloneRequest_AnswersGitParams()
    {
        var json = AgentRequests.Json(await AgentRequests.AskAsync(new GitManagerAgent(), AgentRequests.For("Clone https://github.com/acme/api.git into sandbox-7f3a9c on branch develop")));
        Assert.Equal("clone", json["operation"]);
        Assert.Equal("https://github.com/acme/api.git", json["repository_url"]);
        Assert.Equal("develop", json["branch"]);
    }

    [Fact]
    public async Task ParameterBuilder_Request_AnswersMethodParamsAndMissing()
    {
        var json = AgentRequests.Json(await AgentRequests.AskAsync(new ParameterBuilderAgent(), AgentRequests.For("Read the contents of main.py in my environment")));
        Assert.Equal("file_operation", json["method"]);
        var parameters = Assert.IsType<Dictionary<string, object?>>(json["params"]);
        Assert.Equal("main.py", parameters["file_path"]);
        Assert.Equal(new List<object?> { "sandbox_id" }, json["missing"]);
    }

    [Fact]
    public async Task EnvironmentOptimizer_FlaskProject_SuggestsPythonAndKeepsStatedValues()
    {
        var json = AgentRequests.Json(await AgentRequests.AskAsync(new EnvironmentOptimizerAgent(), AgentRequests.For("Create a persistent environment for my Flask project named shop with FLASK_ENV=development")));
        Assert.Equal("python", json["language"]);
        Assert.Equal(true, json["persistent"]);
        Assert.Equal("shop", json["name"]);
        Assert.Equal("development", Assert.IsType<Dictionary<string, object?>>(json["environment_vars"])["FLASK_ENV"]);
        Assert.Null(json["image"]);
        Assert.IsType<string>(json["notes"]);
    }

    [Fact]
    public async Task EnvironmentOptimizer_DevelopmentRequest_IncludesThePlan()
    {
        var json = AgentRequests.Json(await AgentRequests.AskAsync(new EnvironmentOptimizerAgent(),
            AgentRequests.For("Create a Python sandbox named demo, write app.py that prints hello, run it, and commit it with message 'first version'")));
        var file = Assert.IsType<Dictionary<string, object?>>(Assert.Single(Assert.IsType<List<object?>>(json["files"])));
        Assert.Equal("app.py", file["path"]);
        Assert.Contains("hello", (string)file["content"]!);
        Assert.Equal("python3 app.py", json["run"]);
        Assert.Equal("first version", json["commit_message"]);
        Assert.Equal(false, json["keep"]);
        Assert.Null(json["git_repo"]);
    }

    [Fact]
    public async Task WorkflowAdvisor_PythonRepo_GivesNumberedStepsWithCommands()
    {
        var text = await AgentRequests.AskAsync(new WorkflowAdvisorAgent(), AgentRequests.For("Set up a Python sandbox from https://github.com/acme/api.git"));
        Assert.StartsWith("Suggested python workflow:", text, StringComparison.Ordinal);
        Assert.Contains("1. Create a python sandbox", text, StringComparison.Ordinal);
        Assert.Contains("Clone https://github.com/acme/api.git", text, StringComparison.Ordinal);
        Assert.Contains("python3 -m pytest -q", text, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltinAgentsAll_HasTheElevenAgentIds()
    {
        Assert.Equal(11, BuiltinAgents.All.Count);
        Assert.All(BuiltinAgents.All.Values, factory => Assert.NotNull(factory()));
    }
}
