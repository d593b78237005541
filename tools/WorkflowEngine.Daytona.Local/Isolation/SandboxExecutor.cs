using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>
/// Runs commands in sandboxes: <c>/bin/sh</c> joins the cgroups, sets rlimits and opens the seccomp filter,
/// then execs setpriv (as root) and bubblewrap with the command as an argument vector. No user text is ever
/// part of a shell string: the wrapper script is a constant and everything else is passed as arguments.
/// </summary>
internal sealed class SandboxExecutor(LocalSandboxOptions options, IsolationReport isolation, SandboxLayout layout, Cgroups cgroups, TimeProvider time)
{
    // Joins the cgroups, sets rlimits, and execs "$@" (setpriv, bwrap --args 4 and the command) with the seccomp
    // filter on fd 3, bwrap's options on fd 4 and the synthetic /etc files on fds 5 onwards, all opened here as root.
    // It clears its own environment first: bwrap becomes the sandbox's pid 1, whose /proc/1/environ any sandboxed
    // process reads, and its options (host paths, environment values) stay off every command line.
    // Constant: no user text.
    private static readonly string Wrapper = $$"""
        for f in $WFE_CGROUP_PROCS; do echo $$ > "$f" || exit 125; done
        ulimit -c 0
        ulimit -f "$WFE_FSIZE_BLOCKS" || exit 125
        ulimit -p "$WFE_NPROC" 2>/dev/null
        [ -n "$WFE_AS_KB" ] && { ulimit -v "$WFE_AS_KB" || exit 125; }
        s=$WFE_SECCOMP a=$WFE_ARGS e=$WFE_ETC
        unset WFE_CGROUP_PROCS WFE_FSIZE_BLOCKS WFE_NPROC WFE_AS_KB WFE_SECCOMP WFE_ARGS WFE_ETC PATH PWD
        exec "$@" 3<"$s" 4<"$a" {{string.Join(' ', SandboxLayout.EtcFiles.Select((name, i) => $"{FirstEtcFd + i}<\"$e/{name}\""))}}
        """;

    // The descriptors the wrapper opens the synthetic /etc files on: 5 to 9 (dash redirects single digits only).
    private const int FirstEtcFd = 5;

    // A standby waits inside a sandbox (namespaces, cgroups, seccomp, uid all set up) for one command: it reads
    // a length-prefixed JSON header {argv, env, cwd} from stdin and execs it, so the command pays only its own
    // start-up. Constant: the header is data, never code.
    private const string StandbyStub = """
        import os, json
        def read(n):
            b = b''
            while len(b) < n:
                c = os.read(0, n - len(b))
                if not c:
                    os._exit(0)
                b += c
            return b
        os.write(1, b'\x06')
        h = json.loads(read(int.from_bytes(read(4), 'little')))
        os.chdir(h['cwd'])
        try:
            os.execvpe(h['argv'][0], h['argv'], h['env'])
        except OSError as e:
            os.write(2, ('bwrap: execvp %s: %s\n' % (h['argv'][0], e.strerror)).encode())
            os._exit(1)
        """;

    private const string StandbyPython = "/usr/bin/python3";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Standby> _standbys = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts a standby for the sandbox in the background, so that its next command skips the sandbox set-up.
    /// Only for L0/L1, when python3 exists, and up to <see cref="LocalSandboxOptions.MaxStandbys"/> at once.
    /// </summary>
    public void Prewarm(SandboxCommand template)
    {
        if (options.MaxStandbys <= 0 || isolation.Level is not (IsolationLevel.L0 or IsolationLevel.L1)
            || _standbys.Count >= options.MaxStandbys || _standbys.ContainsKey(template.SandboxId) || !File.Exists(StandbyPython))
        {
            return;
        }

        var standby = template with
        {
            Arguments = [StandbyPython, "-I", "-S", "-c", StandbyStub],
            WorkingDirectory = "/workspace",
            Binds = [],
            Environment = new Dictionary<string, string>(),
        };
        var cancel = new CancellationTokenSource();
        if (!_standbys.TryAdd(template.SandboxId, new Standby(StartStandbyLaterAsync(standby, cancel.Token), cancel)))
        {
            cancel.Dispose();
        }
    }

    // Waits for a quiet moment first, so that preparing the next command does not compete with the current one.
    private async Task<Process?> StartStandbyLaterAsync(SandboxCommand standby, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(options.PrewarmDelay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        var info = Isolated(standby, out var bwrapOptions);
        using (bwrapOptions)
        {
            // Once the stub runs, bwrap has read its options long before.
            return await StartStandbyAsync(info, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops and forgets a sandbox's standby (on stop and delete).</summary>
    public void Discard(string sandboxId)
    {
        if (!_standbys.TryRemove(sandboxId, out var standby))
        {
            return;
        }

        // Stop a start still waiting, and wait for one under way: its processes must be gone before the cgroups are removed.
        standby.Cancel.Cancel();
        try
        {
            standby.Ready.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }

        if (standby.Ready.IsCompletedSuccessfully && standby.Ready.Result is { } process)
        {
            Kill(process);
            process.WaitForExit(5000);
            process.Dispose();
        }

        standby.Cancel.Dispose();
    }

    /// <summary>Stops every standby (when the provider is disposed).</summary>
    public void DiscardAll()
    {
        foreach (var id in _standbys.Keys)
        {
            Discard(id);
        }
    }

    /// <summary>Starts a standby and completes once its stub has announced (one byte on stdout) that it waits for a header.</summary>
    private static async Task<Process?> StartStandbyAsync(ProcessStartInfo info, CancellationToken cancellationToken)
    {
        Process process;
        try
        {
            process = await ProcessSpawner.Shared.StartAsync(info);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }

        var ready = new byte[1];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            if (await process.StandardOutput.BaseStream.ReadAsync(ready, timeout.Token) == 1 && ready[0] == 0x06)
            {
                return process;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }

        Kill(process);
        process.Dispose();
        return null;
    }

    /// <summary>Takes the sandbox's standby if it is started and still alive; commands with extra mounts never use one.</summary>
    private Process? TakeStandby(SandboxCommand command)
    {
        if (command.Binds.Count > 0 || !_standbys.TryGetValue(command.SandboxId, out var standby) || !standby.Ready.IsCompletedSuccessfully
            || !_standbys.TryRemove(new KeyValuePair<string, Standby>(command.SandboxId, standby)))
        {
            return null;
        }

        standby.Cancel.Dispose();
        if (standby.Ready.Result is not { } process)
        {
            return null;
        }

        if (process.HasExited)
        {
            process.Dispose();
            return null;
        }

        return process;
    }

    private static async Task SendHeaderAsync(Process process, SandboxCommand command, Dictionary<string, string> environment)
    {
        var header = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new StandbyHeader(command.Arguments, environment, command.WorkingDirectory), StandbyJsonContext.Default.StandbyHeader);
        var length = BitConverter.GetBytes(header.Length);
        if (!BitConverter.IsLittleEndian)
        {
            Array.Reverse(length);
        }

        var stdin = process.StandardInput.BaseStream;
        await stdin.WriteAsync(length);
        await stdin.WriteAsync(header);
        await stdin.FlushAsync();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async Task<SandboxResult<ExecResult>> RunAsync(SandboxCommand command, CancellationToken cancellationToken)
    {
        if (isolation.Level == IsolationLevel.Unavailable)
        {
            return SandboxResult<ExecResult>.Fail(SandboxErrorKind.Unavailable, "Refusing to run code without isolation. " + isolation.Detail);
        }

        if (NulCharacterIn(command) is { } where)
        {
            // bwrap reads its options NUL-separated: such a value could smuggle in options, and no process could receive it anyway.
            return SandboxResult<ExecResult>.Fail(SandboxErrorKind.InvalidArgument, $"{where} contains a NUL character, which no process can receive; remove it.");
        }

        if (Weaker(command.Isolation))
        {
            return SandboxResult<ExecResult>.Fail(SandboxErrorKind.Unavailable,
                $"Sandbox {command.SandboxId} was created with isolation '{command.Isolation}', but this provider only offers '{isolation.Describe()}'; refusing to run it with weaker isolation. {isolation.Detail}");
        }

        if (isolation.Level == IsolationLevel.L0)
        {
            try
            {
                cgroups.Ensure(command.SandboxId, new CgroupLimits(command.MemoryBytes, command.Pids, command.Cpus));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return SandboxResult<ExecResult>.Fail(SandboxErrorKind.Failed, $"Could not recreate the cgroups of sandbox {command.SandboxId}: {ex.Message}");
            }
        }

        var started = time.GetTimestamp();
        var oomBefore = cgroups.OomKills(command.SandboxId);
        var process = TakeStandby(command);
        if (process is not null)
        {
            try
            {
                await SendHeaderAsync(process, command, SandboxEnvironment(command));
            }
            catch (IOException)
            {
                // The standby died between the check and the write: fall back to a fresh start.
                process.Dispose();
                process = null;
            }
        }

        SafeFileHandle? bwrapOptions = null;
        if (process is null)
        {
            var info = isolation.Level == IsolationLevel.None ? Unisolated(command) : Isolated(command, out bwrapOptions);
            try
            {
                process = await ProcessSpawner.Shared.StartAsync(info);
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                bwrapOptions?.Dispose();
                return SandboxResult<ExecResult>.Fail(SandboxErrorKind.Unavailable, $"Could not start the sandbox process: {ex.Message}");
            }
        }

        using (bwrapOptions)
        using (process)
        {
            var stdout = new CappedReader(process.StandardOutput.BaseStream, options.MaxOutputBytes);
            var stderr = new CappedReader(process.StandardError.BaseStream, options.MaxOutputBytes);
            var reading = Task.WhenAll(stdout.ReadAsync(), stderr.ReadAsync());
            await WriteInputAsync(process, command.StandardInput);

            using var timeout = new CancellationTokenSource(command.Timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                // Killing bwrap ends its PID namespace and so every process of this command.
                timedOut = !cancellationToken.IsCancellationRequested;
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                await process.WaitForExitAsync(CancellationToken.None);
            }

            await reading;
            if (command.Binds.Count == 0)
            {
                // Started after this command, not during it, so that the two do not compete for the CPU.
                Prewarm(command);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var exitCode = process.ExitCode;
            if (exitCode == 125 && stderr.Text.Length == 0)
            {
                return SandboxResult<ExecResult>.Fail(SandboxErrorKind.Failed, "The sandbox could not join its cgroups or set its limits; delete and recreate it.");
            }

            var outOfMemory = !timedOut && cgroups.OomKills(command.SandboxId) > oomBefore;
            var killReason = timedOut ? $"killed: timeout after {command.Timeout.TotalSeconds:0.###} s"
                : outOfMemory ? $"killed: out of memory, limit {command.MemoryBytes / (1024 * 1024)} MiB"
                : exitCode == 153 ? $"killed: file size limit, {command.MaxFileBytes / (1024 * 1024)} MiB"
                : null;
            var quotaNote = command.DiskBytes > 0 ? DiskQuotas.ExceededNote(layout.Workspace(command.SandboxId), command.DiskBytes, command.DiskInodes, stderr.Text) : null;
            var stderrText = killReason is null ? stderr.Text : AppendLine(stderr.Text, killReason);
            return new ExecResult
            {
                ExitCode = timedOut ? 137 : exitCode,
                Stdout = stdout.Text,
                Stderr = quotaNote is null ? stderrText : AppendLine(stderrText, quotaNote),
                Truncated = stdout.Truncated || stderr.Truncated,
                Duration = time.GetElapsedTime(started),
                TimedOut = timedOut,
                OutOfMemory = outOfMemory,
                KillReason = killReason,
            };
        }
    }

    /// <summary>What part of the command holds a NUL character, or <see langword="null"/>.</summary>
    private static string? NulCharacterIn(SandboxCommand command)
    {
        if (command.Environment.FirstOrDefault(e => e.Key.Contains('\0') || e.Value.Contains('\0')) is { Key: { } name })
        {
            return $"The environment variable '{name.Replace("\0", "\\0", StringComparison.Ordinal)}'";
        }

        return command.Arguments.Any(a => a.Contains('\0')) ? "An argument of the command"
            : command.WorkingDirectory.Contains('\0') ? "The working directory"
            : command.Binds.Any(b => b.HostPath.Contains('\0') || b.SandboxPath.Contains('\0')) ? "A mounted path"
            : null;
    }

    /// <summary>Whether this provider's isolation is weaker than the level the sandbox was created with (never degrade silently).</summary>
    private bool Weaker(string recorded)
    {
        static int Rank(string description) =>
            description.StartsWith("L0", StringComparison.Ordinal) ? 0
            : description.StartsWith("L1", StringComparison.Ordinal) ? 1
            : 3;

        return recorded.Length > 0 && Rank(isolation.Describe()) > Rank(recorded);
    }

    /// <summary>
    /// The wrapper's start, and an in-memory file with bubblewrap's options, which the wrapper opens through
    /// <c>/proc</c>: keep it open until bwrap has read it (until the process exits, or a standby reports ready).
    /// </summary>
    private ProcessStartInfo Isolated(SandboxCommand command, out SafeFileHandle bwrapOptions)
    {
        var info = NewStartInfo("/bin/sh");
        info.WorkingDirectory = "/";
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Wrapper);
        info.ArgumentList.Add("wfe-sandbox");
        if (isolation.RunsAsRoot)
        {
            foreach (var arg in new[] { "/usr/bin/setpriv", $"--reuid={options.SandboxUid}", $"--regid={options.SandboxUid}", "--clear-groups" })
            {
                info.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in (string[])[options.BwrapPath, "--args", "4", "--", .. command.Arguments])
        {
            info.ArgumentList.Add(arg);
        }

        var joinCgroups = isolation.Level == IsolationLevel.L0;
        info.Environment["WFE_CGROUP_PROCS"] = joinCgroups ? string.Join(' ', cgroups.ProcsFiles(command.SandboxId)) : "";
        info.Environment["WFE_FSIZE_BLOCKS"] = (command.MaxFileBytes / 512).ToString(CultureInfo.InvariantCulture);
        info.Environment["WFE_NPROC"] = "4096";
        info.Environment["WFE_SECCOMP"] = layout.Seccomp;
        info.Environment["WFE_ETC"] = layout.Etc;

        // Without cgroups, address space is the only memory brake; keep a 4 GiB floor so node can start.
        info.Environment["WFE_AS_KB"] = joinCgroups ? "" : (Math.Max(command.MemoryBytes, 4L << 30) / 1024).ToString(CultureInfo.InvariantCulture);

        // NUL-terminated, as bwrap's --args reads them.
        var serialized = new StringBuilder();
        foreach (var option in BwrapOptions(command))
        {
            serialized.Append(option).Append('\0');
        }

        bwrapOptions = Native.CreateMemoryFile("wfe-bwrap-args", Encoding.UTF8.GetBytes(serialized.ToString()));
        info.Environment["WFE_ARGS"] = Native.ProcPath(bwrapOptions);
        return info;
    }

    /// <summary>bubblewrap's options, the command excepted; they reach bwrap through a descriptor, never its command line.</summary>
    private IEnumerable<string> BwrapOptions(SandboxCommand command)
    {
        List<string> args =
        [
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",

            // /etc is a fresh tmpfs holding copies of the synthetic files (read from the wrapper's descriptors) and the
            // host's loader cache and alternatives links: no mount in it names a folder of the data directory.
            "--tmpfs", "/etc",
        ];
        for (var i = 0; i < SandboxLayout.EtcFiles.Count; i++)
        {
            args.AddRange(["--perms", "0644", "--file", (FirstEtcFd + i).ToString(CultureInfo.InvariantCulture), "/etc/" + SandboxLayout.EtcFiles[i]]);
        }

        args.AddRange(["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache", "--ro-bind-try", "/etc/alternatives", "/etc/alternatives"]);
        if (command.Network)
        {
            // Name resolution and TLS roots matter only with a network.
            args.AddRange(["--ro-bind-try", "/etc/resolv.conf", "/etc/resolv.conf", "--ro-bind-try", "/etc/ssl", "/etc/ssl", "--ro-bind-try", "/etc/ca-certificates", "/etc/ca-certificates"]);
        }

        args.AddRange(
        [
            "--remount-ro", "/etc",
            "--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys",
            "--dev", "/dev",
            "--size", options.TmpBytes.ToString(CultureInfo.InvariantCulture), "--tmpfs", "/tmp",
            "--bind", layout.Workspace(command.SandboxId), "/workspace",
        ]);
        foreach (var (hostPath, sandboxPath, writable) in command.Binds)
        {
            args.AddRange([writable ? "--bind" : "--ro-bind", hostPath, sandboxPath]);
        }

        args.AddRange(["--chdir", command.WorkingDirectory, "--unshare-all"]);
        if (command.Network)
        {
            args.Add("--share-net");
        }

        args.AddRange(
        [
            "--unshare-user", "--disable-userns", "--uid", "1000", "--gid", "1000",
            "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "sandbox",
            "--clearenv",
        ]);
        foreach (var (name, value) in SandboxEnvironment(command))
        {
            args.AddRange(["--setenv", name, value]);
        }

        args.AddRange(["--seccomp", "3"]);
        return args;
    }

    private ProcessStartInfo Unisolated(SandboxCommand command)
    {
        var workspace = layout.Workspace(command.SandboxId);
        var relative = command.WorkingDirectory == "/workspace" ? "" : command.WorkingDirectory["/workspace/".Length..];
        var info = NewStartInfo(command.Arguments[0]);
        info.WorkingDirectory = Path.Combine(workspace, relative);
        foreach (var arg in command.Arguments.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in SandboxEnvironment(command))
        {
            info.Environment[name] = name == "HOME" ? workspace : value;
        }

        return info;
    }

    private static Dictionary<string, string> SandboxEnvironment(SandboxCommand command)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = "/workspace",
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["USER"] = "sandbox",
            ["LOGNAME"] = "sandbox",
            ["LANG"] = "C.UTF-8",
            ["TMPDIR"] = "/tmp",
            ["npm_config_cache"] = "/tmp/npm",
            ["PYTHONUNBUFFERED"] = "1",
        };
        foreach (var (name, value) in command.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }

    private static ProcessStartInfo NewStartInfo(string file)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // The host environment never reaches the sandbox.
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/bin:/bin";
        return info;
    }

    private static async Task WriteInputAsync(Process process, string? input)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command exited without reading its input.
        }
    }

    private static string AppendLine(string text, string line) =>
        text.Length == 0 || text.EndsWith('\n') ? text + line : text + "\n" + line;

    /// <summary>Reads a stream to its end, keeping at most the limit.</summary>
    private sealed class CappedReader(Stream stream, int limit)
    {
        private readonly MemoryStream _kept = new();

        public bool Truncated { get; private set; }

        public string Text => Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);

        public async Task ReadAsync()
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                var keep = (int)Math.Min(read, limit - _kept.Length);
                if (keep > 0)
                {
                    _kept.Write(buffer, 0, keep);
                }

                if (keep < read)
                {
                    Truncated = true;
                }
            }
        }
    }

    /// <summary>A standby being prepared or ready, and how to stop its preparation.</summary>
    private sealed record Standby(Task<Process?> Ready, CancellationTokenSource Cancel);
}
