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
public sealed partial class LocalSandboxProvider : ISandboxProvider
{
    private static readonly HashSet<string> Languages = ["python", "javascript", "typescript", "bash"];
    private readonly LocalRuntime _runtime;

    /// <summary>Creates the provider: prepares the data folder, probes isolation once, and removes orphaned and expired sandboxes.</summary>
    public LocalSandboxProvider(LocalSandboxOptions options, TimeProvider? timeProvider = null)
    {
        _runtime = new LocalRuntime(options, timeProvider ?? TimeProvider.System);
        Process = new LocalSandboxProcess(_runtime);
        Files = new LocalSandboxFileSystem(_runtime);
        Git = new LocalSandboxGit(_runtime);
        SweepOrphans();
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
            DiskBytes = spec.Resources.DiskBytes ?? options.MaxFileBytes,
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

        if (!_runtime.Store.TryInsert(record))
        {
            return SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.Conflict, $"A sandbox named '{record.Name}' already exists; pick another name or use that sandbox.");
        }

        try
        {
            var workspace = _runtime.Layout.Workspace(id);
            Directory.CreateDirectory(workspace);
            File.SetUnixFileMode(Path.GetDirectoryName(workspace)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(workspace, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            _runtime.GiveToSandbox(workspace);
            if (_runtime.Cgroups.Mode != CgroupMode.None)
            {
                _runtime.Cgroups.Create(id, new CgroupLimits(stored.MemoryBytes, stored.Pids, stored.Cpus));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Remove(record);
            return SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.Failed, $"Could not set up sandbox {id}: {ex.Message}");
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

        return ToInfo(_runtime.Store.Find(id)!);
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
            _runtime.Cgroups.Kill(record.Id);
        }

        var updated = record with { State = state, LastAccessedAt = _runtime.Time.GetUtcNow() };
        _runtime.Store.Update(updated);
        return ValueTask.FromResult(SandboxResult<SandboxInfo>.Ok(ToInfo(updated)));
    }

    private void Remove(SandboxRecord record)
    {
        _runtime.Cgroups.Delete(record.Id);
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
            if (known.Contains(id) || _runtime.Store.Find(id) is not null)
            {
                continue;
            }

            _runtime.Cgroups.Delete(id);
            Directory.Delete(directory, recursive: true);
        }
    }

    private SandboxInfo ToInfo(SandboxRecord record)
    {
        var spec = _runtime.SpecOf(record);
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
            Resources = new SandboxResources { MemoryBytes = spec.MemoryBytes, Cpus = spec.Cpus, Pids = spec.Pids, DiskBytes = spec.DiskBytes },
            Network = spec.Network,
            Isolation = spec.Isolation,
            IdleTtl = record.IdleTtl,
            Labels = spec.Labels,
        };
    }

    private static string? Validate(SandboxSpec spec)
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
        if (resources.MemoryBytes is < 16L * 1024 * 1024 || resources.Pids is < 8 || resources.Cpus is <= 0 || resources.DiskBytes is < 1024)
        {
            problems.Add("Resources must be at least 16 MiB of memory, 8 processes, a positive CPU share and 1 KiB of disk.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex SandboxName();
}
