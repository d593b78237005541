using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests;

/// <summary>Path confinement on a host folder that stands in for /workspace.</summary>
public sealed class WorkspacePathsTests : IDisposable
{
    private readonly TempDirectory _root = new("wfe-paths-");

    private string Root => _root.Path;

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("main.py", "/workspace/main.py")]
    [InlineData("./src/./main.py", "/workspace/src/main.py")]
    [InlineData("/workspace/src/main.py", "/workspace/src/main.py")]
    [InlineData("/workspace", "/workspace")]
    [InlineData("/workspace/", "/workspace")]
    [InlineData(".", "/workspace")]
    [InlineData("a//b/", "/workspace/a/b")]
    public void Resolve_PathsInside_MapToHostAndCanonicalPath(string path, string expected)
    {
        var resolved = WorkspacePaths.Resolve(Root, path);

        Assert.True(resolved.Succeeded, resolved.Error?.ToString());
        Assert.Equal(expected, resolved.Value.Sandbox);
        Assert.Equal(expected == "/workspace" ? Root : Path.Combine(Root, expected["/workspace/".Length..]), resolved.Value.Host);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("a/../b")]
    [InlineData("/workspace/..")]
    [InlineData("/etc/passwd")]
    [InlineData("/")]
    [InlineData("/workspacex/y")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\0b")]
    public void Resolve_PathsOutsideOrMalformed_AreInvalidArgument(string path)
    {
        var resolved = WorkspacePaths.Resolve(Root, path);

        Assert.False(resolved.Succeeded);
        Assert.Equal(SandboxErrorKind.InvalidArgument, resolved.Error!.Kind);
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("/")]
    [InlineData("..")]
    [InlineData("../..")]
    [InlineData("sub/../..")]
    [InlineData("/workspace/..")]
    public void Resolve_SymlinkLeadingOut_IsInvalidArgument(string target)
    {
        Directory.CreateDirectory(Path.Combine(Root, "sub"));
        File.CreateSymbolicLink(Path.Combine(Root, "evil"), target);

        Assert.Equal(SandboxErrorKind.InvalidArgument, WorkspacePaths.Resolve(Root, "evil").Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, WorkspacePaths.Resolve(Root, "evil/passwd").Error!.Kind);
    }

    [Fact]
    public void Resolve_SymlinksInside_FollowToTarget()
    {
        Directory.CreateDirectory(Path.Combine(Root, "real/deeper"));
        File.CreateSymbolicLink(Path.Combine(Root, "abs"), "/workspace/real");
        File.CreateSymbolicLink(Path.Combine(Root, "rel"), "real/deeper");
        File.CreateSymbolicLink(Path.Combine(Root, "real/up"), "../real");
        File.CreateSymbolicLink(Path.Combine(Root, "chain"), "abs/up/deeper");

        Assert.Equal("/workspace/real/x", WorkspacePaths.Resolve(Root, "abs/x").Value.Sandbox);
        Assert.Equal("/workspace/real/deeper/x", WorkspacePaths.Resolve(Root, "rel/x").Value.Sandbox);
        Assert.Equal("/workspace/real/deeper", WorkspacePaths.Resolve(Root, "chain").Value.Sandbox);
        Assert.Equal(Path.Combine(Root, "real/deeper"), WorkspacePaths.Resolve(Root, "chain").Value.Host);
    }

    [Fact]
    public void Resolve_SymlinkLoop_IsInvalidArgument()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(Root, "b"), "a");

        var resolved = WorkspacePaths.Resolve(Root, "a/file");

        Assert.Equal(SandboxErrorKind.InvalidArgument, resolved.Error!.Kind);
        Assert.Contains("too many", resolved.Error.Message);
    }

    [Fact]
    public void Resolve_DanglingSymlinkInside_ResolvesToTarget()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "dangling"), "not-yet");

        var resolved = WorkspacePaths.Resolve(Root, "dangling");

        Assert.Equal("/workspace/not-yet", resolved.Value.Sandbox);
    }

    [Fact]
    public void IsOpenedInside_FileInsideAndOutside_AreTellApart()
    {
        var inside = Path.Combine(Root, "inside.txt");
        File.WriteAllText(inside, "x");
        using var outsideDirectory = new TempDirectory();
        var outside = Path.Combine(outsideDirectory.Path, "outside.txt");
        File.WriteAllText(outside, "x");
        File.CreateSymbolicLink(Path.Combine(Root, "link"), outside);

        using var insideHandle = File.OpenHandle(inside);
        using var linkHandle = File.OpenHandle(Path.Combine(Root, "link"));
        using var siblingHandle = File.OpenHandle(outside);

        Assert.True(WorkspacePaths.IsOpenedInside(new SafeHandleWrapper(insideHandle), Root));
        Assert.False(WorkspacePaths.IsOpenedInside(new SafeHandleWrapper(linkHandle), Root));
        Assert.False(WorkspacePaths.IsOpenedInside(new SafeHandleWrapper(siblingHandle), Root));
    }
}
