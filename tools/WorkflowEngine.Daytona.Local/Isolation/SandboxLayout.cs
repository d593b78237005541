namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>
/// Where a provider keeps its files: <c>&lt;data&gt;/wfe.db</c>, <c>&lt;data&gt;/runtime/</c> and <c>&lt;data&gt;/sandboxes/&lt;id&gt;/workspace</c>,
/// and who may reach them. Only root (the owner) reads anything here; the sandbox uid may only traverse the folders on
/// the way to its own workspace, which bubblewrap binds while running as that uid.
/// </summary>
internal sealed class SandboxLayout
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The synthetic /etc files, in the order of the descriptors (5 onwards) the sandbox wrapper opens them on.</summary>
    public static readonly IReadOnlyList<string> EtcFiles = ["passwd", "group", "nsswitch.conf", "hosts", "gitconfig"];

    private readonly int _sandboxGid;

    /// <param name="dataDirectory">The data folder.</param>
    /// <param name="sandboxGid">The host gid sandboxes run as when wfe runs as root (the traversing group), or -1.</param>
    public SandboxLayout(string dataDirectory, int sandboxGid)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        Runtime = Path.Combine(DataDirectory, "runtime");
        Sandboxes = Path.Combine(DataDirectory, "sandboxes");
        _sandboxGid = sandboxGid;
    }

    public string DataDirectory { get; }

    public string Runtime { get; }

    public string Sandboxes { get; }

    public string Database => Path.Combine(DataDirectory, "wfe.db");

    public string Seccomp => Path.Combine(Runtime, "seccomp.bpf");

    public string Etc => Path.Combine(Runtime, "etc");

    public string SandboxDirectory(string id) => Path.Combine(Sandboxes, id);

    public string Workspace(string id) => Path.Combine(Sandboxes, id, "workspace");

    /// <summary>
    /// Creates the folders and the synthetic /etc files the sandboxes see, and narrows the modes of an existing data
    /// folder: the data folder and <c>sandboxes/</c> 0710 with the sandbox gid as group (0700 when not root),
    /// <c>runtime/</c> and its files root-only (the sandbox wrapper opens them as root).
    /// </summary>
    public void Prepare()
    {
        CreateTraversed(DataDirectory);
        CreateTraversed(Sandboxes);
        foreach (var sandbox in Directory.EnumerateDirectories(Sandboxes))
        {
            CreateTraversed(sandbox);

            // Files beside the workspace (the disk image) hold the sandbox's data: root's alone.
            foreach (var file in Directory.EnumerateFiles(sandbox))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        foreach (var directory in new[] { Runtime, Etc })
        {
            Directory.CreateDirectory(directory, OwnerOnly);
            File.SetUnixFileMode(directory, OwnerOnly);
        }

        // Left by versions that bound this folder as /etc.
        foreach (var stale in new[] { "alternatives", "ssl", "ca-certificates" }.Select(name => Path.Combine(Etc, name)).Where(Directory.Exists))
        {
            Directory.Delete(stale, recursive: true);
        }

        File.Delete(Path.Combine(Etc, "ld.so.cache"));
        File.Delete(Path.Combine(Etc, "resolv.conf"));

        WriteIfChanged("passwd", "root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:1000:1000:sandbox:/workspace:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        WriteIfChanged("group", "root:x:0:\nsandbox:x:1000:\nnogroup:x:65534:\n");
        WriteIfChanged("nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
        WriteIfChanged("hosts", "127.0.0.1 localhost sandbox\n::1 localhost\n");
        WriteIfChanged("gitconfig", "[user]\n\tname = Sandbox\n\temail = sandbox@wfe.local\n[init]\n\tdefaultBranch = main\n[safe]\n\tdirectory = *\n[protocol \"ext\"]\n\tallow = never\n[advice]\n\tdetachedHead = false\n");
    }

    /// <summary>
    /// Creates (or narrows) a folder on the sandbox uid's way to its workspace: created owner-only whatever the umask,
    /// then given the sandbox gid and opened to it for traversal only (0710), never for listing or reading.
    /// </summary>
    public void CreateTraversed(string directory)
    {
        Directory.CreateDirectory(directory, OwnerOnly);
        if (_sandboxGid < 0)
        {
            File.SetUnixFileMode(directory, OwnerOnly);
            return;
        }

        Native.Chown(directory, -1, _sandboxGid);
        File.SetUnixFileMode(directory, OwnerOnly | UnixFileMode.GroupExecute);
    }

    private void WriteIfChanged(string name, string content)
    {
        var path = Path.Combine(Etc, name);
        if (!File.Exists(path) || File.ReadAllText(path) != content)
        {
            File.WriteAllText(path, content);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
