using BenchmarkDotNet.Running;
using WorkflowEngine.Benchmarks;

// dotnet run -c Release --project bench/WorkflowEngine.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/WorkflowEngine.Benchmarks -- sandbox-latency [runs]
if (args is ["sandbox-latency", ..])
{
    await SandboxLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
