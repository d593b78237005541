using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using WorkflowEngine.Daytona.Local.Isolation;
using WorkflowEngine.Daytona.Local.Storage;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local;

/// <summary>
/// Sandboxes on this machine, isolated by bubblewrap with cgroup limits and a seccomp filter (see
/// <see cref="IsolationLevel"/>). State lives under <see cref="LocalSandboxOptions.DataDirectory"/>, so
/// sandboxes outlive the process and a second <c>wfe</c> sees those of the first.
/// </summary>
public sealed partial class LocalSandboxProvider : ISandboxProvider, IDisposable
{
    private const string PoolOwnerLabel = "wfe.pool_owner";
    private static readonly HashSet<string> Languages = ["python", "javascript", "typescript", "bash"];
    private readonly LocalRuntime _runtime;
    private Task<SandboxRecord?>? _prepared;
    private int _disposed;

    /// <summary>Creates the provider: prepares the data folder, probes isolation once, and removes orphaned and expired sandboxes.</summary>
    public LocalSandboxProvider(LocalSandboxOptions options, TimeProvider? timeProvider = null)
    {
        _runtime = new LocalRuntime(options, timeProvider ?? TimeProvider.System);
        Process = new LocalSandboxProcess(_runtime);
        Files = new LocalSandboxFileSystem(_runtime);
        Git = new LocalSandboxGit(_runtime);
        SweepOrphans();
        SweepAbandonedPool();
        Prune();
    }

    /// <inheritdoc />
    public string Name => "local";

    /// <inheritdoc />
    public ISandboxProcess Process { get; }

    /// <inheritdoc />
    public ISandboxFileSystem Files { get; }

    /// <inheritdoc />
    public ISandboxGit Git { get; }

    /// <summary>What the start-up probe found: the level sandboxes run at and why.</summary>
    public IsolationReport Isolation => _runtime.Isolation;

    /// <summary>Whether sandboxes get a disk quota: <c>enforced: …</c>, or <c>unavailable: </c> and why.</summary>
    public string DiskQuota => _runtime.Disks.Detail;

    /// <inheritdoc />
    public async ValueTask<SandboxResult<SandboxInfo>> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Validate(spec) is { } invalid)
        {
            return SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.InvalidArgument, invalid);
        }

        if (_runtime.Isolation.Level == IsolationLevel.Unavailable)
        {
            return SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.Unavailable, "Cannot create sandboxes: " + _runtime.Isolation.Detail);
        }

        var options = _runtime.Options;
        if (!_runtime.Disks.Available && (spec.Resources.DiskBytes is not null || spec.Resources.DiskInodes is not null))
        {
            // Never accept a quota that would not be enforced; without one asked for, the sandbox says it has none.
            return SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.Unavailable,
                $"A disk quota was asked for, but disk quotas are {_runtime.Disks.Detail}. Leave the disk size out to create the sandbox without a quota (only the per-file limit of {DiskQuotas.Size(options.MaxFileBytes)} applies), or run wfe as root on a machine with loop devices.");
        }

        var diskBytes = spec.Resources.DiskBytes ?? options.DiskBytes;
        var diskInodes = spec.Resources.DiskInodes ?? DiskQuotas.DefaultInodes(diskBytes, options.DiskInodes);
        if (diskInodes > DiskQuotas.MaxInodes(diskBytes))
        {
            return SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.InvalidArgument,
                $"{diskInodes} files do not fit in {DiskQuotas.Size(diskBytes)} of disk (at most one per KiB): ask for at most {DiskQuotas.MaxInodes(diskBytes)} files or for more disk.");
        }

        var hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var id = "sandbox-" + hex;
        var language = spec.Language.Trim().ToLowerInvariant();
        var now = _runtime.Time.GetUtcNow();
        var stored = new SandboxRecordSpec
        {
            EnvironmentVars = new Dictionary<string, string>(spec.EnvironmentVars, StringComparer.Ordinal),
            Labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal),
            Image = spec.Image,
            GitRepo = spec.GitRepo,
            Network = spec.Network,
            MemoryBytes = spec.Resources.MemoryBytes ?? options.MemoryBytes,
            Pids = spec.Resources.Pids ?? options.Pids,
            Cpus = spec.Resources.Cpus ?? options.Cpus,
            DiskBytes = diskBytes,
            DiskInodes = diskInodes,
            MaxFileBytes = options.MaxFileBytes,
            DiskQuota = _runtime.Disks.Detail,
            Isolation = _runtime.Isolation.Describe(),
        };
        var record = new SandboxRecord
        {
            Id = id,
            Name = string.IsNullOrWhiteSpace(spec.Name) ? $"{language}-{hex[..6]}" : spec.Name.Trim(),
            Language = language,
            State = "started",
            CreatedAt = now,
            LastAccessedAt = now,
            Persistent = spec.Persistent,
            IdleTtl = spec.Persistent ? options.PersistentIdleTtl : options.EphemeralIdleTtl,
            SpecJson = JsonSerializer.Serialize(stored, LocalJsonContext.Default.SandboxRecordSpec),
        };

        // Checked here to leave the warm pool alone when full; the insert and the claim check again, atomically.
        if (_runtime.Store.Count() >= options.MaxSandboxes)
        {
            return Full();
        }

        if (spec.GitRepo is null && !spec.Network && stored.DiskBytes == options.DiskBytes && stored.DiskInodes == options.DiskInodes && TakePrepared() is { } prepared)
        {
            var claimed = _runtime.Store.TryClaim(record with { Id = prepared.Id }, options.MaxSandboxes);
            RefillPool();
            if (claimed != true)
            {
                // Taken name, or filled up meanwhile (or swept): the prepared sandbox is not handed out, so remove it.
                Remove(prepared);
            }

            if (claimed == false)
            {
                return SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.Conflict, $"A sandbox named '{record.Name}' already exists; pick another name or use that sandbox.");
            }

            if (claimed == true)
            {
                if (_runtime.Cgroups.Mode != CgroupMode.None)
                {
                    _runtime.Cgroups.Create(prepared.Id, new CgroupLimits(stored.MemoryBytes, stored.Pids, stored.Cpus));
                }

                return ToInfo(_runtime.Store.Find(prepared.Id)!);
            }
        }

        switch (_runtime.Store.TryInsertWithin(record, options.MaxSandboxes))
        {
            case false:
                return SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.Conflict, $"A sandbox named '{record.Name}' already exists; pick another name or use that sandbox.");
            case null:
                return Full();
        }

        if (Setup(record, stored) is { } setupError)
        {
            return SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.Failed, setupError);
        }

        if (spec.GitRepo is { } repository)
        {
            var cloned = await Git.CloneAsync(id, repository, WorkspacePaths.Root, spec.GitBranch, cancellationToken);
            if (!cloned.Succeeded)
            {
                Remove(record);
                return SandboxResult<SandboxInfo>.Fail(cloned.Error.Kind, $"The sandbox was not created because cloning failed: {cloned.Error.Message}");
            }
        }

        var created = _runtime.Store.Find(id)!;
        _runtime.Executor.Prewarm(_runtime.Command(created, []));
        if (_prepared is null)
        {
            RefillPool();
        }

        return ToInfo(created);
    }

    /// <summary>Creates the workspace and cgroups of a registered sandbox; returns an error, or null.</summary>
    private string? Setup(SandboxRecord record, SandboxRecordSpec stored)
    {
        var id = record.Id;
        try
        {
            var workspace = _runtime.Layout.Workspace(id);
            _runtime.Layout.CreateTraversed(_runtime.Layout.SandboxDirectory(id));
            Directory.CreateDirectory(workspace, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (_runtime.Disks.Available)
            {
                // The workspace becomes a file system of its own, whose root the sandbox uid owns; the bare folder stays root's.
                _runtime.Disks.Create(id, stored.DiskBytes, stored.DiskInodes, _runtime.Uid);
            }
            else
            {
                _runtime.GiveToSandbox(workspace);
            }

            if (_runtime.Cgroups.Mode != CgroupMode.None)
            {
                _runtime.Cgroups.Create(id, new CgroupLimits(stored.MemoryBytes, stored.Pids, stored.Cpus));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Remove(record);
            return $"Could not set up sandbox {id}: {ex.Message}";
        }

        return null;
    }

    /// <summary>Removes the prepared sandbox and stops every standby.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (Interlocked.Exchange(ref _prepared, null) is { } prepared)
        {
            try
            {
                if (prepared.GetAwaiter().GetResult() is { } record)
                {
                    Remove(record);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                // Best effort: the next provider's start-up sweep removes what is left.
            }
        }

        _runtime.Executor.DiscardAll();
    }

    private SandboxRecord? TakePrepared()
    {
        var prepared = _prepared;
        if (prepared is null || !prepared.IsCompletedSuccessfully || Interlocked.CompareExchange(ref _prepared, null, prepared) != prepared)
        {
            return null;
        }

        return prepared.Result;
    }

    /// <summary>Prepares the next sandbox in the background: registered as pooled (hidden), with its folder, cgroups and a standby.</summary>
    private void RefillPool()
    {
        if (!_runtime.Options.WarmPool || Volatile.Read(ref _disposed) == 1 || _runtime.Isolation.Level is not (IsolationLevel.L0 or IsolationLevel.L1))
        {
            return;
        }

        var next = Task.Run(async () =>
        {
            // Prepare in a quiet moment, not while the sandbox just handed out runs its first command.
            await Task.Delay(_runtime.Options.PrewarmDelay).ConfigureAwait(false);
            if (Volatile.Read(ref _disposed) == 1)
            {
                return null;
            }

            var options = _runtime.Options;
            var hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            var now = _runtime.Time.GetUtcNow();
            var stored = new SandboxRecordSpec
            {
                Labels = new Dictionary<string, string> { [PoolOwnerLabel] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                MemoryBytes = options.MemoryBytes,
                Pids = options.Pids,
                Cpus = options.Cpus,
                DiskBytes = options.DiskBytes,
                DiskInodes = options.DiskInodes,
                MaxFileBytes = options.MaxFileBytes,
                DiskQuota = _runtime.Disks.Detail,
                Isolation = _runtime.Isolation.Describe(),
            };
            var record = new SandboxRecord
            {
                Id = "sandbox-" + hex,
                Name = "pooled-" + hex,
                Language = "python",
                State = "pooled",
                CreatedAt = now,
                LastAccessedAt = now,
                Persistent = false,
                IdleTtl = options.EphemeralIdleTtl,
                SpecJson = JsonSerializer.Serialize(stored, LocalJsonContext.Default.SandboxRecordSpec),
            };
            if (!_runtime.Store.TryInsert(record) || Setup(record, stored) is not null)
            {
                return (SandboxRecord?)null;
            }

            _runtime.Executor.Prewarm(_runtime.Command(record, []));
            return record;
        });
        if (Interlocked.CompareExchange(ref _prepared, next, null) is not null)
        {
            // Another refill won the race; drop this one when it is ready.
            next.ContinueWith(t => { if (t.Result is { } extra) { Remove(extra); } }, TaskScheduler.Default);
        }
    }

    /// <summary>Removes pooled sandboxes whose owning process is gone (it crashed before disposing its provider).</summary>
    private void SweepAbandonedPool()
    {
        foreach (var record in _runtime.Store.ListPooled())
        {
            var owner = _runtime.SpecOf(record).Labels.GetValueOrDefault(PoolOwnerLabel);
            if (owner is null || (owner != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) && !Directory.Exists("/proc/" + owner)))
            {
                Remove(record);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<SandboxResult<SandboxInfo>> GetAsync(string sandbox, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_runtime.Store.Find(sandbox) is { } record
            ? SandboxResult<SandboxInfo>.Ok(ToInfo(record))
            : SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.NotFound, $"Sandbox '{sandbox}' not found. List sandboxes with `wfe sandbox ls`."));

    /// <inheritdoc />
    public ValueTask<SandboxResult<IReadOnlyList<SandboxInfo>>> ListAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(SandboxResult<IReadOnlyList<SandboxInfo>>.Ok(_runtime.Store.List().Select(ToInfo).ToList()));

    /// <inheritdoc />
    public ValueTask<SandboxResult<Unit>> DeleteAsync(string sandbox, CancellationToken cancellationToken = default)
    {
        if (_runtime.Store.Find(sandbox) is not { } record)
        {
            return ValueTask.FromResult(SandboxResult<Unit>.Fail(SandboxErrorKind.NotFound, $"Sandbox '{sandbox}' not found."));
        }

        Remove(record);
        return ValueTask.FromResult(SandboxResult<Unit>.Ok(Unit.Value));
    }

    /// <inheritdoc />
    public ValueTask<SandboxResult<SandboxInfo>> StartAsync(string sandbox, CancellationToken cancellationToken = default) => SetState(sandbox, "started");

    /// <inheritdoc />
    public ValueTask<SandboxResult<SandboxInfo>> StopAsync(string sandbox, CancellationToken cancellationToken = default) => SetState(sandbox, "stopped");

    /// <summary>Deletes sandboxes unused for longer than their idle TTL; returns their ids.</summary>
    public IReadOnlyList<string> Prune()
    {
        var now = _runtime.Time.GetUtcNow();
        var expired = _runtime.Store.List().Where(r => now - r.LastAccessedAt > r.IdleTtl).ToList();
        foreach (var record in expired)
        {
            Remove(record);
        }

        return expired.Select(r => r.Id).ToList();
    }

    private ValueTask<SandboxResult<SandboxInfo>> SetState(string sandbox, string state)
    {
        if (_runtime.Store.Find(sandbox) is not { } record)
        {
            return ValueTask.FromResult(SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.NotFound, $"Sandbox '{sandbox}' not found."));
        }

        if (state == "stopped")
        {
            _runtime.Executor.Discard(record.Id);
            _runtime.Cgroups.Kill(record.Id);
        }

        var updated = record with { State = state, LastAccessedAt = _runtime.Time.GetUtcNow() };
        _runtime.Store.Update(updated);
        return ValueTask.FromResult(SandboxResult<SandboxInfo>.Ok(ToInfo(updated)));
    }

    private void Remove(SandboxRecord record)
    {
        _runtime.Executor.Discard(record.Id);
        _runtime.Cgroups.Delete(record.Id);

        // Unmount before deleting: the folder's delete must not walk into the mounted file system, and the image goes with it.
        _runtime.Disks.Release(record.Id);
        var directory = _runtime.Layout.SandboxDirectory(record.Id);
        if (Directory.Exists(directory))
        {
            // Directory.Delete removes symbolic links without following them.
            Directory.Delete(directory, recursive: true);
        }

        _runtime.Store.Delete(record.Id);
    }

    /// <summary>
    /// Kills and removes the cgroups and folders of this data folder's sandboxes that are no longer in its registry.
    /// Only ids with a folder here are touched: cgroups of other data folders (another <c>WFE_HOME</c>, a parallel
    /// test run) share the <c>wfe</c> parent but belong to their own providers.
    /// </summary>
    private void SweepOrphans()
    {
        var known = _runtime.Store.List().Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var directory in Directory.EnumerateDirectories(_runtime.Layout.Sandboxes))
        {
            var id = Path.GetFileName(directory);

            // Look again: another provider may have registered it after the list was read.
            if (known.Contains(id) || _runtime.Store.Exists(id))
            {
                continue;
            }

            _runtime.Cgroups.Delete(id);

            // A crashed process leaves the workspace mounted (and perhaps a loop device attached): release them first.
            _runtime.Disks.Release(id);
            Directory.Delete(directory, recursive: true);
        }
    }

    private SandboxInfo ToInfo(SandboxRecord record)
    {
        var spec = _runtime.SpecOf(record);
        var usage = _runtime.Disks.Usage(record.Id);
        return new SandboxInfo
        {
            Id = record.Id,
            Name = record.Name,
            Language = record.Language,
            State = record.State,
            CreatedAt = record.CreatedAt,
            LastAccessedAt = record.LastAccessedAt,
            Persistent = record.Persistent,
            GitRepo = spec.GitRepo,
            Image = spec.Image,
            EnvironmentVars = spec.EnvironmentVars,
            Resources = new SandboxResources { MemoryBytes = spec.MemoryBytes, Cpus = spec.Cpus, Pids = spec.Pids, DiskBytes = spec.DiskBytes, DiskInodes = spec.DiskInodes },
            DiskQuota = spec.DiskQuota.Length > 0 ? spec.DiskQuota : "unavailable: the sandbox was created before disk quotas",
            DiskUsedBytes = usage?.UsedBytes,
            DiskUsedInodes = usage?.UsedInodes,
            Network = spec.Network,
            Isolation = spec.Isolation,
            IdleTtl = record.IdleTtl,
            Labels = spec.Labels,
        };
    }

    private SandboxResult<SandboxInfo> Full() => SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.LimitExceeded,
        $"No room for another sandbox: {_runtime.Options.MaxSandboxes} exist, the most allowed (MaxSandboxes). Delete one you no longer need (`wfe sandbox rm <id>`, delete_sandbox, or DELETE /api/sandbox/<id>) and try again.");

    private string? Validate(SandboxSpec spec)
    {
        var problems = new List<string>();
        if (!Languages.Contains(spec.Language.Trim().ToLowerInvariant()))
        {
            problems.Add($"Language '{spec.Language}' is not supported; use python, javascript, typescript or bash.");
        }

        if (spec.Name is { } name && !string.IsNullOrWhiteSpace(name) && !SandboxName().IsMatch(name.Trim()))
        {
            problems.Add($"Name '{name}' is not valid: use 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (spec.Name is { } idLike && idLike.StartsWith("sandbox-", StringComparison.Ordinal))
        {
            problems.Add("Names may not start with 'sandbox-', which is reserved for ids.");
        }

        if (spec.EnvironmentVars.Keys.FirstOrDefault(k => !LocalSandboxProcess.EnvironmentName().IsMatch(k)) is { } badName)
        {
            problems.Add($"'{badName}' is not a valid environment variable name.");
        }

        var resources = spec.Resources;
        if (resources.MemoryBytes is < 16L * 1024 * 1024 || resources.Pids is < 8 || resources.Cpus is <= 0 || resources.DiskBytes is < LocalSandboxOptions.MinDiskBytes)
        {
            problems.Add("Resources must be at least 16 MiB of memory, 8 processes, a positive CPU share and 1 MiB of disk.");
        }

        if (resources.DiskInodes is < LocalSandboxOptions.MinDiskInodes)
        {
            problems.Add($"Resources must allow at least {LocalSandboxOptions.MinDiskInodes} files (disk_inodes).");
        }

        var options = _runtime.Options;
        if (resources.MemoryBytes > options.MaxMemoryBytes)
        {
            problems.Add($"Memory of {resources.MemoryBytes} bytes is over the maximum of {DiskQuotas.Size(options.MaxMemoryBytes)} per sandbox (MaxMemoryBytes); ask for less.");
        }

        // NaN and infinity are not over anything by comparison: refuse what is not a finite number explicitly.
        if (resources.Cpus is { } cpus && !(double.IsFinite(cpus) && cpus <= options.MaxCpus))
        {
            problems.Add($"{cpus.ToString(System.Globalization.CultureInfo.InvariantCulture)} CPUs is over the maximum of {options.MaxCpus.ToString(System.Globalization.CultureInfo.InvariantCulture)} per sandbox (MaxCpus); ask for less.");
        }

        if (resources.Pids > options.MaxPids)
        {
            problems.Add($"{resources.Pids} processes is over the maximum of {options.MaxPids} per sandbox (MaxPids); ask for less.");
        }

        if (resources.DiskBytes > options.MaxDiskBytes)
        {
            problems.Add($"Disk of {resources.DiskBytes} bytes is over the maximum of {DiskQuotas.Size(options.MaxDiskBytes)} per sandbox (MaxDiskBytes); ask for less.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex SandboxName();
}
