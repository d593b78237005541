namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>Where a provider keeps its files: <c>&lt;data&gt;/wfe.db</c>, <c>&lt;data&gt;/runtime/</c> and <c>&lt;data&gt;/sandboxes/&lt;id&gt;/workspace</c>.</summary>
internal sealed class SandboxLayout
{
    public SandboxLayout(string dataDirectory)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        Runtime = Path.Combine(DataDirectory, "runtime");
        Sandboxes = Path.Combine(DataDirectory, "sandboxes");
    }

    public string DataDirectory { get; }

    public string Runtime { get; }

    public string Sandboxes { get; }

    public string Database => Path.Combine(DataDirectory, "wfe.db");

    public string Seccomp => Path.Combine(Runtime, "seccomp.bpf");

    public string Etc => Path.Combine(Runtime, "etc");

    public string SandboxDirectory(string id) => Path.Combine(Sandboxes, id);

    public string Workspace(string id) => Path.Combine(Sandboxes, id, "workspace");

    /// <summary>Creates the folders and the synthetic /etc files the sandboxes see.</summary>
    public void Prepare()
    {
        Directory.CreateDirectory(Runtime);
        Directory.CreateDirectory(Sandboxes);
        Directory.CreateDirectory(Etc);
        foreach (var directory in new[] { DataDirectory, Runtime, Sandboxes, Etc })
        {
            // The sandbox uid must traverse these to reach its workspace, but not list them.
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        File.SetUnixFileMode(Etc, File.GetUnixFileMode(Etc) | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        WriteIfChanged("passwd", "root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:1000:1000:sandbox:/workspace:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        WriteIfChanged("group", "root:x:0:\nsandbox:x:1000:\nnogroup:x:65534:\n");
        WriteIfChanged("nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
        WriteIfChanged("hosts", "127.0.0.1 localhost sandbox\n::1 localhost\n");
        WriteIfChanged("gitconfig", "[user]\n\tname = Sandbox\n\temail = sandbox@wfe.local\n[init]\n\tdefaultBranch = main\n[safe]\n\tdirectory = *\n[protocol \"ext\"]\n\tallow = never\n[advice]\n\tdetachedHead = false\n");
    }

    private void WriteIfChanged(string name, string content)
    {
        var path = Path.Combine(Etc, name);
        if (!File.Exists(path) || File.ReadAllText(path) != content)
        {
            File.WriteAllText(path, content);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }
}
