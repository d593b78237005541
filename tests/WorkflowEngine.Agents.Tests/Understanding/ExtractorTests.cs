using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Tests.Understanding;

public sealed class ExtractorTests
{
    [Theory]
    [InlineData("Upload ./data/train.csv to /workspace/data/", "./data/train.csv|/workspace/data/")]
    [InlineData("Read main.py and src/util.py", "main.py|src/util.py")]
    [InlineData("Set up a Node.js sandbox, e.g. for next.js", "")]
    [InlineData("Switch to the feature/login branch", "")]
    [InlineData("save it as ~/reports/report.pdf.", "~/reports/report.pdf")]
    public void PathExtractorFind_Prose_FindsOnlyPaths(string prose, string expected)
    {
        var found = string.Join("|", PathExtractor.Find(prose).Select(p => p.Value));
        Assert.Equal(expected, found);
    }

    [Fact]
    public void EnvironmentVariableParserParse_CommaAndSeparated_ReadsAllPairs()
    {
        var vars = EnvironmentVariableParser.Parse("with PYTHONPATH=/workspace, DEBUG=1 and ENV=development.");
        Assert.Equal(new Dictionary<string, string> { ["PYTHONPATH"] = "/workspace", ["DEBUG"] = "1", ["ENV"] = "development" }, vars);
    }

    [Fact]
    public void EnvironmentVariableParserParse_QuotedValue_KeepsSpaces()
    {
        var vars = EnvironmentVariableParser.Parse("GREETING=\"hello world\"");
        Assert.Equal("hello world", vars["GREETING"]);
    }

    [Theory]
    [InlineData("Delete sandbox sandbox-7f3a9c", SandboxReference.Id, "sandbox-7f3a9c")]
    [InlineData("Show the sandbox named ml-project.", SandboxReference.Name, "ml-project")]
    [InlineData("Stop the environment called 'demo'", SandboxReference.Name, "demo")]
    [InlineData("Destroy the sandbox with ID abc-123", SandboxReference.Id, "abc-123")]
    [InlineData("Read main.py in my environment", SandboxReference.Current, null)]
    [InlineData("Checkout the branch called fix-1", SandboxReference.None, null)]
    public void SandboxTargetExtractorFind_Request_FindsReference(string request, SandboxReference kind, string? value)
    {
        var target = SandboxTargetExtractor.Find(RequestText.Parse(request));
        Assert.Equal(kind, target.Kind);
        Assert.Equal(value, target.Value);
    }

    [Theory]
    [InlineData("Set up a Node.js sandbox with TypeScript support", "typescript")]
    [InlineData("a node sandbox", "javascript")]
    [InlineData("Create a Python 3.12 env", "python")]
    [InlineData("a bash workspace", "bash")]
    [InlineData("run /workspace/python/app.py", null)]
    public void LanguageDetectorStated_Prose_FindsLanguage(string prose, string? language) =>
        Assert.Equal(language, LanguageDetector.Stated(prose));

    [Theory]
    [InlineData("console.log(1)", "javascript")]
    [InlineData("import os\nprint(os.getcwd())", "python")]
    [InlineData("echo hi", "bash")]
    public void LanguageDetectorFromCode_Code_RecognisesLanguage(string code, string language) =>
        Assert.Equal(language, LanguageDetector.FromCode(code));

    [Theory]
    [InlineData("Commit with message 'Don't crash on empty input' now", "Don't crash on empty input")]
    [InlineData("commit -m \"fix: quote $(x) and `y`\"", "fix: quote $(x) and `y`")]
    [InlineData("commit everything with message initial import and push", "initial import")]
    [InlineData("Commit and push the changes", null)]
    public void QuotedTextCommitMessage_Request_KeepsMessageVerbatim(string request, string? message) =>
        Assert.Equal(message, QuotedText.CommitMessage(request));

    [Theory]
    [InlineData("Clone x on branch develop", "develop")]
    [InlineData("Switch to the feature/login branch", "feature/login")]
    [InlineData("checkout release-2.0", "release-2.0")]
    [InlineData("create a new branch called fix/typo", "fix/typo")]
    public void RepositoryExtractorBranch_Prose_FindsBranch(string prose, string branch) =>
        Assert.Equal(branch, RepositoryExtractor.Branch(prose));

    [Theory]
    [InlineData("run it with working directory /workspace/a:", "/workspace/a")]
    [InlineData("from the /app directory.", "/app")]
    [InlineData("inside /workspace/service on sandbox-1", "/workspace/service")]
    [InlineData("write to /workspace/app.py", null)]
    public void WorkingDirectoryExtractorFind_Prose_FindsDirectory(string prose, string? directory) =>
        Assert.Equal(directory, WorkingDirectoryExtractor.Find(prose));

    [Theory]
    [InlineData("Execute npm test in my development environment", "npm test")]
    [InlineData("please run pytest -q on sandbox-1", "pytest -q")]
    [InlineData("run the tests", null)]
    [InlineData("run app.py", "python3 app.py")]
    public void ShellCommandsFromProse_Request_FindsCommand(string prose, string? command) =>
        Assert.Equal(command, ShellCommands.FromProse(prose));
}
