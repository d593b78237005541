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
        MirrorHostFiles();

        // Mount points for what a networked sandbox gets bound over the read-only /etc.
        WriteIfChanged("resolv.conf", "");
        Directory.CreateDirectory(Path.Combine(Etc, "ssl"));
        Directory.CreateDirectory(Path.Combine(Etc, "ca-certificates"));
        WriteIfChanged("gitconfig", "[user]\n\tname = Sandbox\n\temail = sandbox@wfe.local\n[init]\n\tdefaultBranch = main\n[safe]\n\tdirectory = *\n[protocol \"ext\"]\n\tallow = never\n[advice]\n\tdetachedHead = false\n");
    }

    /// <summary>
    /// Copies the few host /etc entries programs need (the loader cache, the alternatives links) into the
    /// synthetic /etc, so that a sandbox gets one read-only /etc mount instead of one per file.
    /// </summary>
    private void MirrorHostFiles()
    {
        const string cache = "/etc/ld.so.cache";
        var cacheCopy = Path.Combine(Etc, "ld.so.cache");
        if (File.Exists(cache) && (!File.Exists(cacheCopy) || File.GetLastWriteTimeUtc(cache) > File.GetLastWriteTimeUtc(cacheCopy)))
        {
            File.Copy(cache, cacheCopy + ".tmp", overwrite: true);
            File.Move(cacheCopy + ".tmp", cacheCopy, overwrite: true);
            File.SetUnixFileMode(cacheCopy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        const string alternatives = "/etc/alternatives";
        var alternativesCopy = Path.Combine(Etc, "alternatives");
        Directory.CreateDirectory(alternativesCopy);
        File.SetUnixFileMode(alternativesCopy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        if (!Directory.Exists(alternatives))
        {
            return;
        }

        foreach (var link in new DirectoryInfo(alternatives).EnumerateFileSystemInfos())
        {
            // Only links into /usr are useful inside the sandbox (it sees nothing else of the host).
            var copy = Path.Combine(alternativesCopy, link.Name);
            if (link.LinkTarget is { } target && target.StartsWith("/usr/", StringComparison.Ordinal)
                && new FileInfo(copy).LinkTarget != target)
            {
                File.Delete(copy);
                File.CreateSymbolicLink(copy, target);
            }
        }
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
