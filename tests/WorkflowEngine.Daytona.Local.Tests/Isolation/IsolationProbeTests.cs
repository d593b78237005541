using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Local.Isolation;

namespace WorkflowEngine.Daytona.Local.Tests.Isolation;

public sealed class IsolationProbeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "wfe-probe-" + Guid.NewGuid().ToString("N")[..8]);

    public IsolationProbeTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Unreachable_AncestorClosedToOthers_NamesIt()
    {
        var closed = Path.Combine(_root, "home");
        Directory.CreateDirectory(Path.Combine(closed, "data"));
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Assert.Equal(closed, IsolationProbe.Unreachable(Path.Combine(closed, "data", "wfe")));
    }

    [Fact]
    public void Unreachable_EveryAncestorSearchable_ReturnsNull()
    {
        var open = Path.Combine(_root, "open", "wfe");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(_root, File.GetUnixFileMode(_root) | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(Path.Combine(_root, "open"), File.GetUnixFileMode(Path.Combine(_root, "open")) | UnixFileMode.OtherExecute);

        Assert.Null(IsolationProbe.Unreachable(open));
    }

    [Fact]
    public void Run_AsRootWithDataDirectoryBehindClosedFolder_IsUnavailableAndSaysWhatToDo()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return; // Only root switches to the sandbox uid; other users' sandboxes run as themselves.
        }

        var closed = Path.Combine(_root, "closed");
        Directory.CreateDirectory(closed);
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var report = IsolationProbe.Run(new LocalSandboxOptions { DataDirectory = Path.Combine(closed, "wfe"), AllowNoIsolation = false });

        Assert.Equal(IsolationLevel.Unavailable, report.Level);
        Assert.Contains(closed, report.Detail, StringComparison.Ordinal);
        Assert.Contains("WFE_HOME", report.Detail, StringComparison.Ordinal);
    }
}
