using System.Diagnostics;
using System.Reflection;
using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Server;

namespace WorkflowEngine.Benchmarks;

/// <summary>
/// The Daytona-compatible server the transfer benchmark talks to. By default it runs in a child process so that the
/// client's memory numbers are the client's alone: this benchmark started again in <c>daytona-transfer-server</c>
/// mode (the same <see cref="DaytonaServer"/> and <see cref="LocalSandboxProvider"/> as <c>wfe serve</c>, but with
/// a temporary data directory, no warm pool and a write limit above the file size), or <c>wfe serve</c> itself,
/// or in-process for comparison.
/// </summary>
internal sealed class TransferServer : IAsyncDisposable
{
    private const string ReadyPrefix = "Daytona-compatible API: ";
    private readonly Process? _child;
    private readonly DaytonaServer? _inProcess;
    private readonly LocalSandboxProvider? _provider;

    private TransferServer(Uri apiUrl, string description, Process? child, DaytonaServer? inProcess, LocalSandboxProvider? provider)
    {
        ApiUrl = apiUrl;
        Description = description;
        _child = child;
        _inProcess = inProcess;
        _provider = provider;
    }

    public Uri ApiUrl { get; }

    public string Description { get; }

    public bool InProcess => _inProcess is not null;

    /// <summary>Starts the server of <paramref name="kind"/>: <c>child</c>, <c>wfe</c> or <c>inproc</c>.</summary>
    public static async Task<TransferServer> StartAsync(string kind, string apiKey, string dataDirectory)
    {
        switch (kind)
        {
            case "inproc":
            {
                var provider = new LocalSandboxProvider(Options(dataDirectory));
                var server = await DaytonaServer.StartAsync(provider, new DaytonaServerOptions { Port = 0, ApiKey = apiKey });
                return new TransferServer(server.ApiUrl, "in-process DaytonaServer + LocalSandboxProvider (numbers include the server)", null, server, provider);
            }

            case "wfe":
            {
                var dll = Path.GetFullPath(Path.Combine(RepositoryRoot(), "engine/WorkflowEngine.Cli/bin/Release/net10.0/wfe.dll"));
                if (!File.Exists(dll))
                {
                    throw new InvalidOperationException($"{dll} is missing; build it with: dotnet build engine/WorkflowEngine.Cli -c Release");
                }

                // WFE_HOME keeps its sandboxes in the benchmark's temporary folder.
                var info = Start("dotnet", [dll, "serve", "--port", "0", "--api-key", apiKey]);
                info.Environment["WFE_HOME"] = dataDirectory;
                var (child, url) = await LaunchAsync(info);
                return new TransferServer(url, $"child process: dotnet wfe.dll serve (pid {child.Id})", child, null, null);
            }

            default:
            {
                // This benchmark again, in server mode: dotnet <dll> … or the apphost.
                var self = Environment.ProcessPath ?? "dotnet";
                var entry = Assembly.GetEntryAssembly()!.Location;
                var info = Path.GetFileNameWithoutExtension(self) == "dotnet"
                    ? Start(self, [entry, "daytona-transfer-server", apiKey, dataDirectory])
                    : Start(self, ["daytona-transfer-server", apiKey, dataDirectory]);
                var (child, url) = await LaunchAsync(info);
                return new TransferServer(url, $"child process: DaytonaServer + LocalSandboxProvider (pid {child.Id})", child, null, null);
            }
        }
    }

    /// <summary>The child side: serves until the parent closes standard input (or dies).</summary>
    public static async Task ServeAsync(string apiKey, string dataDirectory)
    {
        using var provider = new LocalSandboxProvider(Options(dataDirectory));
        await using var server = await DaytonaServer.StartAsync(provider, new DaytonaServerOptions { Port = 0, ApiKey = apiKey });
        Console.Out.WriteLine(ReadyPrefix + server.ApiUrl);
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
    }

    /// <summary>The server's process id when it runs in a child process.</summary>
    public int? ChildProcessId => _child?.Id;

    /// <summary>The peak resident set of the server process (VmHWM), when it is a child.</summary>
    public long? ChildPeakRss => _child is { HasExited: false } child ? ProcessMemory.PeakRss(child.Id) : null;

    public async ValueTask DisposeAsync()
    {
        if (_inProcess is not null)
        {
            await _inProcess.DisposeAsync();
            _provider?.Dispose();
        }

        if (_child is not null)
        {
            try
            {
                // Our own server stops when its input closes; wfe serve stops on SIGTERM (as on Ctrl+C).
                _child.StandardInput.Close();
                if (!_child.WaitForExit(TimeSpan.FromSeconds(2)))
                {
                    using var term = Process.Start("kill", ["-TERM", _child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                    await term.WaitForExitAsync();
                }

                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _child.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Ours, by id: it did not stop when asked.
                _child.Kill(entireProcessTree: true);
            }

            _child.Dispose();
        }
    }

    private static LocalSandboxOptions Options(string dataDirectory) => new()
    {
        DataDirectory = dataDirectory,
        WarmPool = false,
        MaxStandbys = 0,
        // The default (100 MiB) would refuse the 200 MB file; the point is to measure the transfer.
        MaxWriteBytes = 64L * 1024 * 1024 * 1024,
    };

    private static ProcessStartInfo Start(string fileName, string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static async Task<(Process Child, Uri ApiUrl)> LaunchAsync(ProcessStartInfo info)
    {
        var child = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {info.FileName}");
        var errors = child.StandardError.ReadToEndAsync();
        try
        {
            var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120));
            if (line is null || !line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the server printed '{line}' instead of '{ReadyPrefix}…'; stderr: {(child.HasExited ? await errors : "")}");
            }

            // Keep draining its output so that it never blocks on a full pipe.
            _ = child.StandardOutput.ReadToEndAsync();
            return (child, new Uri(line[ReadyPrefix.Length..].Trim()));
        }
        catch
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }

            child.Dispose();
            throw;
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WorkflowEngine.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
