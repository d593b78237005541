using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Security.Cryptography;
using WorkflowEngine.Daytona.Rest;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Benchmarks;

/// <summary>
/// Uploads and downloads a generated file through <see cref="DaytonaSandboxProvider"/> (the multipart bulk routes)
/// against a Daytona-compatible server, and measures the client's memory while each transfer runs: the managed heap
/// (<see cref="GC.GetTotalMemory"/> sampled every ~10 ms: baseline, peak, peak − baseline), the bytes allocated
/// (<see cref="GC.GetTotalAllocatedBytes"/>) and the process's peak resident set. A 20 MiB file is measured side by
/// side, so that the ratio shows whether memory grows with the file. Files live on disk, generated and hashed as
/// streams; nothing holds a whole file. Side effects (a server, a sandbox, files) make this a timed loop rather
/// than a BenchmarkDotNet benchmark.
/// </summary>
internal static class DaytonaTransfer
{
    private const long MiB = 1024 * 1024;
    private const int SmallMiB = 20;

    public static async Task RunAsync(int sizeMiB, int runs, string serverKind)
    {
        var root = Directory.CreateTempSubdirectory("wfe-transfer-").FullName;
        // The sandbox user must traverse to the server's data directory under it (created 0700); others may not list it.
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var clientFiles = Directory.CreateDirectory(Path.Combine(root, "client")).FullName;
        var apiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        try
        {
            await using var server = await TransferServer.StartAsync(serverKind, apiKey, Path.Combine(root, "server"));
            using var provider = new DaytonaSandboxProvider(new DaytonaOptions
            {
                ApiKey = apiKey,
                ApiUrl = server.ApiUrl.ToString().TrimEnd('/'),
                OrganizationId = null,
                Target = null,
            });
            var created = await provider.CreateAsync(new SandboxSpec());
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"cannot create a sandbox: {created.Error}");
            }

            var sandbox = created.Value.Id;
            var sizes = new[] { SmallMiB, sizeMiB }.Distinct().Order().ToArray();
            Console.WriteLine($"server: {server.Description} at {server.ApiUrl}");
            Console.WriteLine($"client: DaytonaSandboxProvider (RestSharp, bulk-upload/bulk-download), {Environment.ProcessorCount} cores, "
                + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : "")}, "
                + $".NET {Environment.Version}; peak RSS per transfer: {(ProcessMemory.TryResetPeak(Environment.ProcessId) ? "reset before each (clear_refs)" : "process lifetime (cannot reset)")}");
            Console.WriteLine($"sizes: {string.Join(", ", sizes.Select(s => $"{s} MiB"))}; {runs} run(s) after a 1 MiB warm-up; medians below");

            var sources = new Dictionary<int, (string Path, byte[] Hash)>();
            foreach (var size in sizes.Append(1))
            {
                var path = Path.Combine(clientFiles, $"source-{size}.bin");
                sources[size] = (path, await GenerateAsync(path, size * MiB));
            }

            await TransferAsync(provider, sandbox, sources[1], Path.Combine(clientFiles, "warm.bin"), 1 * MiB, server);

            var all = new List<(int Size, Measurement Up, Measurement Down)>();
            for (var run = 1; run <= runs; run++)
            {
                foreach (var size in sizes)
                {
                    var (up, down) = await TransferAsync(provider, sandbox, sources[size], Path.Combine(clientFiles, $"copy-{size}.bin"), size * MiB, server);
                    all.Add((size, up, down));
                    Console.WriteLine($"  run {run} {size,4} MiB  up {up.Seconds,6:0.00} s heap +{Mb(up.PeakHeap - up.Baseline),6:0.0} MiB alloc {Mb(up.Allocated),7:0.0} MiB rss {Mb(up.PeakRss),6:0.0} MiB"
                        + $" | down {down.Seconds,6:0.00} s heap +{Mb(down.PeakHeap - down.Baseline),6:0.0} MiB alloc {Mb(down.Allocated),7:0.0} MiB rss {Mb(down.PeakRss),6:0.0} MiB | SHA-256 equal");
                }
            }

            Console.WriteLine();
            Console.WriteLine($"{"size",8} {"dir",-5} {"time s",7} {"MiB/s",7} {"heap base",10} {"heap peak",10} {"peak-base",10} {"allocated",10} {"peak RSS",9} {"samples",8} {"GCs 0/1/2",10} {"server RSS",11}");
            foreach (var size in sizes)
            {
                foreach (var (direction, pick) in new (string, Func<(int, Measurement Up, Measurement Down), Measurement>)[] { ("up", r => r.Up), ("down", r => r.Down) })
                {
                    var rows = all.Where(r => r.Size == size).Select(pick).ToList();
                    var seconds = Median(rows.Select(r => r.Seconds));
                    Console.WriteLine(
                        $"{size + " MiB",8} {direction,-5} {seconds,7:0.00} {size / seconds,7:0.0} {Mb(Median(rows.Select(r => (double)r.Baseline))),10:0.00} {Mb(Median(rows.Select(r => (double)r.PeakHeap))),10:0.00} "
                        + $"{Mb(Median(rows.Select(r => (double)(r.PeakHeap - r.Baseline)))),10:0.00} {Mb(Median(rows.Select(r => (double)r.Allocated))),10:0.0} {Mb(Median(rows.Select(r => (double)r.PeakRss))),9:0.0} "
                        + $"{Median(rows.Select(r => (double)r.Samples)),8:0} {Median(rows.Select(r => (double)r.Gen0)),4:0}/{Median(rows.Select(r => (double)r.Gen1)):0}/{Median(rows.Select(r => (double)r.Gen2)):0}  "
                        + $"{(rows[0].ServerPeakRss is null ? "-" : Mb(Median(rows.Select(r => (double)(r.ServerPeakRss ?? 0)))).ToString("0.0", CultureInfo.InvariantCulture) + " MiB"),11}");
                }
            }

            if (sizes.Length == 2)
            {
                Console.WriteLine();
                var (small, large) = (sizes[0], sizes[1]);
                foreach (var (direction, pick) in new (string, Func<(int, Measurement Up, Measurement Down), Measurement>)[] { ("up", r => r.Up), ("down", r => r.Down) })
                {
                    double Of(int size, Func<Measurement, double> value) => Median(all.Where(r => r.Size == size).Select(pick).Select(value));
                    Console.WriteLine(
                        $"ratio {large} MiB / {small} MiB ({(double)large / small:0}x the bytes), {direction,-4}: heap peak-base {Of(large, m => m.PeakHeap - m.Baseline) / Of(small, m => m.PeakHeap - m.Baseline),5:0.00}  "
                        + $"heap peak {Of(large, m => m.PeakHeap) / Of(small, m => m.PeakHeap),5:0.00}  allocated {Of(large, m => m.Allocated) / Of(small, m => m.Allocated),5:0.00}  peak RSS {Of(large, m => m.PeakRss) / Of(small, m => m.PeakRss),5:0.00}");
                }
            }

            await provider.DeleteAsync(sandbox);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Uploads <paramref name="source"/>, downloads it to <paramref name="copy"/>, compares SHA-256 and deletes the copy.</summary>
    private static async Task<(Measurement Up, Measurement Down)> TransferAsync(
        DaytonaSandboxProvider provider, string sandbox, (string Path, byte[] Hash) source, string copy, long bytes, TransferServer server)
    {
        var remote = $"/workspace/{Path.GetFileName(source.Path)}";
        var up = await MeasureAsync(server, async () =>
        {
            // bufferSize 0: no FileStream buffer; the HTTP content reads 64 KiB chunks.
            await using var input = new FileStream(source.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var uploaded = await provider.Files.UploadAsync(sandbox, remote, input);
            if (!uploaded.Succeeded || uploaded.Value.Size != bytes)
            {
                throw new InvalidOperationException($"upload failed: {uploaded.Error?.ToString() ?? $"size {uploaded.Value!.Size}, expected {bytes}"}");
            }
        });
        var down = await MeasureAsync(server, async () =>
        {
            await using var output = new FileStream(copy, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            var downloaded = await provider.Files.DownloadAsync(sandbox, remote, output);
            if (!downloaded.Succeeded)
            {
                throw new InvalidOperationException($"download failed: {downloaded.Error}");
            }
        });

        await using (var check = File.OpenRead(copy))
        {
            if (check.Length != bytes || !(await SHA256.HashDataAsync(check)).AsSpan().SequenceEqual(source.Hash))
            {
                throw new InvalidOperationException($"{copy} differs from {source.Path} (SHA-256)");
            }
        }

        File.Delete(copy);
        await provider.Files.DeleteAsync(sandbox, remote);
        return (up, down);
    }

    private static async Task<Measurement> MeasureAsync(TransferServer server, Func<Task> transfer)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        ProcessMemory.TryResetPeak(Environment.ProcessId);
        if (server.ChildProcessId is { } pid)
        {
            ProcessMemory.TryResetPeak(pid);
        }

        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var baseline = GC.GetTotalMemory(forceFullCollection: false);
        using var sampler = new HeapSampler(baseline);
        var clock = Stopwatch.StartNew();
        await transfer();
        clock.Stop();
        var (peak, samples) = sampler.Stop();
        return new Measurement(
            clock.Elapsed.TotalSeconds,
            baseline,
            peak,
            GC.GetTotalAllocatedBytes(precise: true) - allocated,
            ProcessMemory.PeakRss(Environment.ProcessId) ?? 0,
            samples,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(1) - gen1,
            GC.CollectionCount(2) - gen2,
            server.ChildPeakRss);
    }

    /// <summary>Writes <paramref name="bytes"/> random bytes to <paramref name="path"/> 1 MiB at a time and returns their SHA-256.</summary>
    private static async Task<byte[]> GenerateAsync(string path, long bytes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[MiB];
        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        for (long written = 0; written < bytes; written += chunk.Length)
        {
            var part = chunk.AsMemory(0, (int)Math.Min(chunk.Length, bytes - written));
            RandomNumberGenerator.Fill(part.Span);
            hash.AppendData(part.Span);
            await output.WriteAsync(part);
        }

        return hash.GetHashAndReset();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double Mb(double bytes) => bytes / MiB;

    private sealed record Measurement(double Seconds, long Baseline, long PeakHeap, long Allocated, long PeakRss, int Samples, int Gen0, int Gen1, int Gen2, long? ServerPeakRss);

    /// <summary>Samples <see cref="GC.GetTotalMemory"/> every ~10 ms on its own thread (not the pool the transfer uses).</summary>
    private sealed class HeapSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _peak;
        private int _samples;

        public HeapSampler(long baseline)
        {
            _peak = baseline;
            _thread = new Thread(Loop) { IsBackground = true, Name = "heap sampler", Priority = ThreadPriority.AboveNormal };
            _thread.Start();
        }

        public (long Peak, int Samples) Stop()
        {
            _stop = true;
            _thread.Join();
            Sample();
            return (_peak, _samples);
        }

        public void Dispose()
        {
            _stop = true;
        }

        private void Loop()
        {
            while (!_stop)
            {
                Sample();
                Thread.Sleep(10);
            }
        }

        private void Sample()
        {
            var now = GC.GetTotalMemory(forceFullCollection: false);
            if (now > _peak)
            {
                _peak = now;
            }

            _samples++;
        }
    }
}

/// <summary>Peak resident set (VmHWM) from <c>/proc</c>, and its reset through <c>clear_refs</c> (Linux).</summary>
internal static class ProcessMemory
{
    public static bool TryResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static long? PeakRss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is not null && long.TryParse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kb)
                ? kb * 1024
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
