using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Tests.Understanding;

public sealed class RequestTextTests
{
    [Fact]
    public void Parse_FencedBlock_KeepsCodeExactlyAndInfo()
    {
        var text = RequestText.Parse("Run this:\n```python\nfor i in range(2):\n    print(i)\n```\nthanks");
        var span = Assert.Single(text.CodeSpans);
        Assert.True(span.Fenced);
        Assert.Equal("python", span.Info);
        Assert.Equal("for i in range(2):\n    print(i)", span.Text);
        Assert.DoesNotContain("range", text.Masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Backticks_MasksCodeAndRestores()
    {
        var text = RequestText.Parse("Run `npm test` then `npm run lint`");
        Assert.Equal(["npm test", "npm run lint"], text.CodeSpans.Select(s => s.Text));
        Assert.Equal("Run npm test then npm run lint", text.Restore(text.Masked));
    }

    [Fact]
    public void Parse_UrlsAndIds_AreTokensInNormalizedText()
    {
        var text = RequestText.Parse("Clone https://github.com/a/b.git into sandbox-7f3a9c");
        Assert.Equal("clone  urltoken  into  sandboxid ", text.Normalized);
    }
}
