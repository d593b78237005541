using System.Diagnostics;
using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Benchmarks;

/// <summary>
/// End-to-end latency of the local provider, measured side by side in one run: create a sandbox and get the
/// first python output, an exec in an existing sandbox (python, bash), and delete. Prints medians and p95.
/// Side effects (real sandboxes) make this a plain timed loop rather than a BenchmarkDotNet benchmark.
/// </summary>
internal static class SandboxLatency
{
    public static async Task RunAsync(int runs)
    {
        var data = Path.Combine(Path.GetTempPath(), "wfe-bench-" + Environment.ProcessId);
        using var provider = new LocalSandboxProvider(new LocalSandboxOptions { DataDirectory = data });
        using var coldProvider = new LocalSandboxProvider(new LocalSandboxOptions { DataDirectory = data, WarmPool = false, MaxStandbys = 0 });
        Console.WriteLine($"isolation: {provider.Isolation.Describe()}; {runs} runs after 3 warm-ups, {IdleGap.TotalMilliseconds} ms idle between runs");
        var cold = new List<double>();
        var bare = new List<double>();
        var createAndRun = new List<double>();
        var execPython = new List<double>();
        var execBash = new List<double>();
        var delete = new List<double>();
        try
        {
            for (var i = -3; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                await BarePythonAsync();
                var t0 = clock.Elapsed.TotalMilliseconds;

                // The same without the warm pool and standbys: what a one-shot CLI call pays.
                clock.Restart();
                var coldCreated = await coldProvider.CreateAsync(new SandboxSpec());
                Check(await coldProvider.Process.RunCodeAsync(coldCreated.Value!.Id, "python", "print(1)"));
                var tc = clock.Elapsed.TotalMilliseconds;
                await coldProvider.DeleteAsync(coldCreated.Value.Id);

                // Users pause between requests; the provider prepares the next sandbox and standby meanwhile.
                await Task.Delay(IdleGap);

                clock.Restart();
                var created = await provider.CreateAsync(new SandboxSpec());
                var first = await provider.Process.RunCodeAsync(created.Value!.Id, "python", "print(1)");
                var t1 = clock.Elapsed.TotalMilliseconds;
                Check(first);

                await Task.Delay(IdleGap);
                clock.Restart();
                Check(await provider.Process.RunCodeAsync(created.Value.Id, "python", "print(1)"));
                var t2 = clock.Elapsed.TotalMilliseconds;

                await Task.Delay(IdleGap);
                clock.Restart();
                Check(await provider.Process.ExecAsync(created.Value.Id, new ExecRequest { Command = ["bash", "-c", "echo 1"] }));
                var t3 = clock.Elapsed.TotalMilliseconds;

                clock.Restart();
                await provider.DeleteAsync(created.Value.Id);
                var t4 = clock.Elapsed.TotalMilliseconds;
                if (i >= 0)
                {
                    bare.Add(t0);
                    cold.Add(tc);
                    createAndRun.Add(t1);
                    execPython.Add(t2);
                    execBash.Add(t3);
                    delete.Add(t4);
                }
            }
        }
        finally
        {
            // Providers first: their prepared sandboxes' workspaces are mounted file systems.
            provider.Dispose();
            coldProvider.Dispose();
            Directory.Delete(data, recursive: true);
        }

        Print("bare python3 spawn (no sandbox)", bare);
        Print("create + first python output", createAndRun);
        Console.WriteLine($"ratio of medians, create + first output / bare spawn: {Median(createAndRun) / Median(bare):0.00}");
        Print("same, cold (no pool, no standby)", cold);
        Console.WriteLine($"ratio of medians, cold / bare spawn: {Median(cold) / Median(bare):0.00}");
        Print("exec python in existing sandbox", execPython);
        Print("exec bash in existing sandbox", execBash);
        Print("delete", delete);
    }

    private static readonly TimeSpan IdleGap = TimeSpan.FromMilliseconds(300);

    private static async Task BarePythonAsync()
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("print(1)");
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/bin:/bin";
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (output.Trim() != "1")
        {
            throw new InvalidOperationException("bare python printed " + output);
        }
    }

    private static double Median(List<double> samples) => samples.Order().ElementAt(samples.Count / 2);

    private static void Check(SandboxResult<ExecResult> result)
    {
        if (!result.Succeeded || result.Value.Stdout.Trim() != "1")
        {
            throw new InvalidOperationException($"unexpected result: {result.Error?.ToString() ?? result.Value!.Stdout + result.Value.Stderr}");
        }
    }

    private static void Print(string name, List<double> samples)
    {
        samples.Sort();
        double Percentile(double p) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)];
        Console.WriteLine($"{name,-34} median {Percentile(0.5),7:0.0} ms   p95 {Percentile(0.95),7:0.0} ms");
    }
}
