using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Tests.Understanding;

public sealed class RequestInterpreterTests
{
    [Fact]
    public void Interpret_MyEnvironment_LeavesSandboxIdMissingWithCurrentReference()
    {
        var call = RequestInterpreter.Interpret("Execute npm test in my development environment");
        Assert.Equal(DaytonaMethods.ExecuteShell, call.Method);
        Assert.Equal(SandboxReference.Current, call.SandboxReference);
        Assert.False(call.Params.ContainsKey("sandbox_id"));
        Assert.Contains("sandbox_id", call.Missing);
    }

    [Fact]
    public void Interpret_Create_HoldsOnlyStatedParamsWithTypedValues()
    {
        var call = RequestInterpreter.Interpret("Create a persistent Python sandbox named demo with DEBUG=1");
        Assert.Equal(DaytonaMethods.CreateSandbox, call.Method);
        Assert.Equal(["language", "name", "environment_vars", "persistent"], call.Params.Keys);
        Assert.Equal(true, call.Params["persistent"]);
        Assert.IsType<Dictionary<string, string>>(call.Params["environment_vars"]);
        Assert.Empty(call.Missing);
    }

    [Fact]
    public void Interpret_DeleteFileFromSandbox_IsFileDeleteNotSandboxDelete()
    {
        var call = RequestInterpreter.Interpret("Remove the file notes.txt from sandbox-1a2b3c");
        Assert.Equal(DaytonaMethods.FileOperation, call.Method);
        Assert.Equal("delete", call.Params["operation"]);
        Assert.Equal("notes.txt", call.Params["file_path"]);
    }

    [Fact]
    public void Interpret_CommitWithoutMessage_ListsCommitMessageMissing()
    {
        var call = RequestInterpreter.Interpret("Commit the changes in sandbox-1a2b3c");
        Assert.Equal(["commit_message"], call.Missing);
    }

    [Fact]
    public void InterpretAll_CommitAndPush_PlansTwoCallsInOrder()
    {
        var calls = RequestInterpreter.InterpretAll("Commit with message \"v1\" and push it, sandbox-1a2b3c");
        Assert.Equal(["commit", "push"], calls.Select(c => c.Params["operation"]));
        Assert.Equal("v1", calls[0].Params["commit_message"]);
        Assert.All(calls, c => Assert.Equal("sandbox-1a2b3c", c.Params["sandbox_id"]));
    }

    [Fact]
    public void Interpret_GitCommandInBackticks_IsGitOperation()
    {
        var call = RequestInterpreter.Interpret("Run `git checkout develop` in sandbox-1a2b3c");
        Assert.Equal(DaytonaMethods.GitOperation, call.Method);
        Assert.Equal("checkout", call.Params["operation"]);
        Assert.Equal("develop", call.Params["branch"]);
    }

    [Fact]
    public void Interpret_CleanUp_ListsFirst()
    {
        Assert.Equal(DaytonaMethods.ListSandboxes, RequestInterpreter.Interpret("Please clean up my unused sandboxes").Method);
    }

    [Fact]
    public void InterpretAs_FileOperationForAnyRequest_ExtractsFileParams()
    {
        var call = RequestInterpreter.InterpretAs("Show me README.md on sandbox-7f3a9c", DaytonaMethods.FileOperation);
        Assert.Equal("read", call.Params["operation"]);
        Assert.Equal("README.md", call.Params["file_path"]);
    }

    [Theory]
    [InlineData("List my sandboxes", DaytonaMethods.ListSandboxes)]
    [InlineData("Create a Go-free bash env", DaytonaMethods.CreateSandbox)]
    [InlineData("What language is sandbox-7f3a9c using?", DaytonaMethods.GetSandboxInfo)]
    [InlineData("Run `echo hi`", DaytonaMethods.ExecuteShell)]
    [InlineData("Run `print(1)` in Python", DaytonaMethods.ExecuteCode)]
    public void Classify_Request_ReturnsMethodWithConfidence(string request, string method)
    {
        var (actual, confidence) = RequestInterpreter.Classify(request);
        Assert.Equal(method, actual);
        Assert.InRange(confidence, 0.0, 1.0);
    }
}
