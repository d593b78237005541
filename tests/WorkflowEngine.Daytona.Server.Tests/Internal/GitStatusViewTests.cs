using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Daytona.Server.Internal;

namespace WorkflowEngine.Daytona.Server.Tests.Internal;

public sealed class GitStatusViewTests
{
    [Theory]
    [InlineData("plain.txt", "plain.txt")]
    [InlineData("with space.txt", "with space.txt")]
    [InlineData("\"na\\303\\257ve.txt\"", "na\u00efve.txt")]
    [InlineData("\"q\\\"uote\\\\back.txt\"", "q\"uote\\back.txt")]
    [InlineData("\"tab\\tnew\\nline\"", "tab\tnew\nline")]
    [InlineData("\"raw \u00e9 and \\303\\251\"", "raw \u00e9 and \u00e9")]
    public void Unquote_PorcelainPath_GivesTheFileName(string porcelain, string expected)
    {
        Assert.Equal(expected, GitStatusView.Unquote(porcelain));
    }

    [Fact]
    public void From_DetachedHead_ReportsHeadAndDetached()
    {
        var view = GitStatusView.From(new GitStatus("HEAD (no branch)", 0, 0, ["R  \"a\\303\\251\" -> b", "?? new.txt"]));

        Assert.Equal("HEAD", view.CurrentBranch);
        Assert.True(view.Detached);
        Assert.Equal(("b", "a\u00e9", "Renamed"), (view.FileStatus[0].Name, view.FileStatus[0].Extra, view.FileStatus[0].Staging));
        Assert.Equal(("new.txt", "Untracked", "Untracked"), (view.FileStatus[1].Name, view.FileStatus[1].Staging, view.FileStatus[1].Worktree));
    }
}
