using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Tests.Understanding;

public class PlainSandboxNameTests
{
    [Theory]
    [InlineData("Run `ls -la` in sandbox alpha", "alpha")]
    [InlineData("Execute print(1) on the sandbox beta2", "beta2")]
    [InlineData("Read main.py from sandbox api.dev", "api.dev")]
    public void Interpret_OneWordNameAfterSandbox_IsTheTarget(string request, string name)
    {
        var call = RequestInterpreter.Interpret(request);
        Assert.Equal(name, call.Params.GetValueOrDefault("sandbox_id"));
        Assert.Equal(SandboxReference.Name, call.SandboxReference);
    }

    [Theory]
    [InlineData("Run `ls` in the sandbox with network off")]
    [InlineData("Create a sandbox with environment variables A=1")]
    public void Interpret_CommonWordAfterSandbox_IsNotAName(string request)
    {
        var call = RequestInterpreter.Interpret(request);
        Assert.NotEqual("with", call.Params.GetValueOrDefault("sandbox_id"));
        Assert.NotEqual("variables", call.Params.GetValueOrDefault("sandbox_id"));
    }
}
