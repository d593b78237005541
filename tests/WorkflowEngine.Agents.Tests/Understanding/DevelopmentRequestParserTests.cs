using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Tests.Understanding;

public sealed class DevelopmentRequestParserTests
{
    [Fact]
    public void Parse_SeedSentence_PlansCreateWriteRunCommit()
    {
        var plan = DevelopmentRequestParser.Parse("Create a Python sandbox named demo, write app.py that prints hello, run it, and commit it with message 'first version'");
        Assert.Equal("python", plan.Language);
        Assert.Equal("demo", plan.Name);
        var file = Assert.Single(plan.Files);
        Assert.Equal(new PlannedFile("app.py", "print('hello')"), file);
        Assert.Equal(["python3", "app.py"], plan.RunCommand);
        Assert.True(plan.Commit);
        Assert.Equal("first version", plan.CommitMessage);
        Assert.False(plan.Persistent);
    }

    [Fact]
    public void Parse_JavaScriptKeepTheSandbox_GeneratesConsoleLogAndKeeps()
    {
        var plan = DevelopmentRequestParser.Parse("Set up a JavaScript sandbox, write index.js that prints hello world, run it and keep the sandbox");
        Assert.Equal("javascript", plan.Language);
        Assert.Equal("console.log('hello world')", Assert.Single(plan.Files).Content);
        Assert.Equal(["node", "index.js"], plan.RunCommand);
        Assert.True(plan.Persistent);
    }

    [Fact]
    public void Parse_ExplicitContentAndTests_UsesVerbatimContentAndPytest()
    {
        var plan = DevelopmentRequestParser.Parse(
            "Create a python sandbox from https://github.com/acme/api.git on branch dev with DEBUG=1, add test_app.py containing `def test_ok():\n    assert True`, run the tests, commit with message \"Add test\" and push");
        Assert.Equal("https://github.com/acme/api.git", plan.GitRepo);
        Assert.Equal("dev", plan.GitBranch);
        Assert.Equal("1", plan.EnvironmentVars["DEBUG"]);
        Assert.Equal(new PlannedFile("test_app.py", "def test_ok():\n    assert True"), Assert.Single(plan.Files));
        Assert.Equal(["python3", "-m", "pytest", "-q"], plan.RunCommand);
        Assert.Equal("Add test", plan.CommitMessage);
        Assert.True(plan.Push);
    }

    [Fact]
    public void Parse_BashScript_GeneratesEcho()
    {
        var plan = DevelopmentRequestParser.Parse("Create a bash sandbox, write hello.sh that prints hello, then run it");
        Assert.Equal("echo hello", Assert.Single(plan.Files).Content);
        Assert.Equal(["bash", "hello.sh"], plan.RunCommand);
    }

    [Fact]
    public void Parse_GivenCommandLine_RunsItVerbatimWithBash()
    {
        var plan = DevelopmentRequestParser.Parse("Create a Node.js sandbox and run `npm test -- --watch=false`");
        Assert.Equal(["bash", "-c", "npm test -- --watch=false"], plan.RunCommand);
        Assert.Empty(plan.Files);
    }

    [Fact]
    public void Parse_InlineShellSyntax_IsKeptIntactRatherThanSplit()
    {
        var plan = DevelopmentRequestParser.Parse("Create a bash sandbox and run a script that fails: `echo boom >&2; exit 3`");
        Assert.Equal(["bash", "-c", "echo boom >&2; exit 3"], plan.RunCommand);
    }
}
