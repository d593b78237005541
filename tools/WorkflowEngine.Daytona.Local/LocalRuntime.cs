using System.Text.Json;
using WorkflowEngine.Daytona.Local.Isolation;
using WorkflowEngine.Daytona.Local.Storage;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local;

/// <summary>The state the local provider's parts share: options, layout, registry, cgroups and the executor.</summary>
internal sealed class LocalRuntime
{
    public LocalRuntime(LocalSandboxOptions options, TimeProvider time)
    {
        if (options.Validate() is { } problems)
        {
            throw new ArgumentException(problems, nameof(options));
        }

        Options = options;
        Time = time;
        Layout = new SandboxLayout(options.DataDirectory, Native.IsRoot ? options.SandboxUid : -1);
        Layout.Prepare();
        SeccompFilter.WriteTo(Layout.Seccomp);
        Isolation = IsolationProbe.Run(options);
        Cgroups = new Cgroups(Isolation.Level == IsolationLevel.L0 ? Isolation.Cgroups : CgroupMode.None);
        Disks = new DiskQuotas(options, Layout, Isolation.RunsAsRoot);
        Store = new SandboxStore(Layout.Database);
        Executor = new SandboxExecutor(options, Isolation, Layout, Cgroups, time);
    }

    public LocalSandboxOptions Options { get; }

    public TimeProvider Time { get; }

    public SandboxLayout Layout { get; }

    public IsolationReport Isolation { get; }

    public Cgroups Cgroups { get; }

    public SandboxStore Store { get; }

    public DiskQuotas Disks { get; }

    public SandboxExecutor Executor { get; }

    public int Uid => Isolation.RunsAsRoot ? Options.SandboxUid : -1;

    /// <summary>Finds a running sandbox by id or name, and marks it used.</summary>
    public SandboxResult<SandboxRecord> FindRunning(string sandbox)
    {
        var record = Store.Find(sandbox);
        if (record is null)
        {
            return SandboxResult<SandboxRecord>.Fail(SandboxErrorKind.NotFound, $"Sandbox '{sandbox}' not found. List sandboxes with `wfe sandbox ls`.");
        }

        if (record.State != "started")
        {
            return SandboxResult<SandboxRecord>.Fail(SandboxErrorKind.Conflict, $"Sandbox '{sandbox}' is {record.State}; start it first.");
        }

        if (Disks.Available)
        {
            // After a reboot the image is there but not mounted: mount it before anything writes into the bare folder.
            try
            {
                Disks.EnsureMounted(record.Id);
            }
            catch (IOException ex)
            {
                return SandboxResult<SandboxRecord>.Fail(SandboxErrorKind.Failed, $"The disk of sandbox '{sandbox}' could not be mounted: {ex.Message} Delete and recreate the sandbox.");
            }
        }

        // Idle TTLs are hours long: recording use at most every 10 s keeps a write off every command's path.
        var now = Time.GetUtcNow();
        if (now - record.LastAccessedAt > TimeSpan.FromSeconds(10))
        {
            Store.Touch(record.Id, now);
        }

        return record;
    }

    public SandboxRecordSpec SpecOf(SandboxRecord record) =>
        JsonSerializer.Deserialize(record.SpecJson, LocalJsonContext.Default.SandboxRecordSpec) ?? new SandboxRecordSpec();

    /// <summary>Makes a host path the sandbox created or received owned by the sandbox uid.</summary>
    public void GiveToSandbox(string hostPath, bool recursive = false)
    {
        if (Uid < 0)
        {
            return;
        }

        if (recursive)
        {
            Native.ChownTree(hostPath, Uid, Uid);
        }
        else
        {
            Native.Chown(hostPath, Uid, Uid);
        }
    }

    public SandboxCommand Command(SandboxRecord record, IReadOnlyList<string> arguments, string workingDirectory = WorkspacePaths.Root,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, string? input = null,
        IReadOnlyList<(string, string, bool)>? binds = null)
    {
        var spec = SpecOf(record);
        var merged = new Dictionary<string, string>(spec.EnvironmentVars, StringComparer.Ordinal);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }

        return new SandboxCommand
        {
            SandboxId = record.Id,
            Arguments = arguments,
            WorkingDirectory = workingDirectory,
            Environment = merged,
            Timeout = timeout ?? Options.CommandTimeout,
            StandardInput = input,
            Network = spec.Network,
            MemoryBytes = spec.MemoryBytes,
            MaxFileBytes = spec.MaxFileBytes > 0 ? spec.MaxFileBytes : spec.DiskBytes,
            DiskBytes = spec.DiskQuota.StartsWith("enforced", StringComparison.Ordinal) ? spec.DiskBytes : 0,
            DiskInodes = spec.DiskInodes,
            Pids = spec.Pids,
            Cpus = spec.Cpus,
            Isolation = spec.Isolation,
            Binds = binds ?? [],
        };
    }
}
